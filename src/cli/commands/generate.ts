import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { generate } from "../../pipeline/generate.js";
import { isUrl } from "../../spec/read.js";
import { UserError } from "../../util/errors.js";
import { closest } from "../../util/suggest.js";
import { startSpinner } from "../../ui/spinner.js";
import { generationSummary } from "../../ui/summary.js";
import { overridesFrom, type GlobalFlags } from "../options.js";

const COMMAND_WORDS = ["generate", "init", "add", "remove", "list", "lint", "sync", "templates", "help"];

/** `picofun [namespace] [spec]` and `picofun generate [namespace] [spec]`. */
export async function generateCommand(namespace: string | undefined, spec: string | undefined, flags: GlobalFlags): Promise<void> {
  if (namespace && spec && !isUrl(spec) && !existsSync(resolve(spec))) {
    const typo = closest(namespace, COMMAND_WORDS, 1)[0];
    if (typo && typo !== namespace) {
      throw new UserError(`"${namespace}" is not a command (did you mean "picofun ${typo}"?), and spec file "${spec}" does not exist`);
    }
  }
  const spinner = await startSpinner("Generating");
  try {
    const result = await generate({
      overrides: overridesFrom(flags, namespace, spec),
      force: flags.force,
      reuse: true,
      onStage: (text) => spinner.text(text),
    });
    spinner.stop();
    process.stdout.write(`${generationSummary(result)}\n`);
  } catch (err) {
    spinner.fail();
    throw err;
  }
}
