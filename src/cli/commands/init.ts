import { relative } from "node:path";
import { generate } from "../../pipeline/generate.js";
import { startSpinner } from "../../ui/spinner.js";
import { generationSummary } from "../../ui/summary.js";
import { UserError } from "../../util/errors.js";
import { ssmHint, type WizardAnswers } from "../../wizard/answers.js";
import { answersFromFlags, checkDirWord, isEmptyDir, type InitFlags } from "../../wizard/flags.js";
import { ALLOWLIST_FILE, removeStaleAllowlist, writeProject } from "../../wizard/writeProject.js";
import { ROOT_MODULE_FILE, writeRootModule } from "../../wizard/rootModule.js";
import type { ApiModel } from "../../model/types.js";
import { importPackage } from "../../util/importPackage.js";
import { iacFromFlags, type UpstreamFlags } from "../../config/upstream.js";
import { canPrompt, onPromptStream } from "../../ui/prompting.js";

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}

/** `picofun init [dir]` (also `create-picofun` / `npm create picofun`). */
export async function initCommand(dir: string | undefined, flags: InitFlags, cwd = process.cwd()): Promise<void> {
  if (dir !== undefined) {
    dir = dir.trim().replace(/[/\\]+$/, "") || ".";
  }
  let result: { answers: WizardAnswers; model: ApiModel };
  flags = { ...flags, iac: iacFromFlags(flags as InitFlags & UpstreamFlags) };
  if (flags.yes) {
    checkDirWord(dir, cwd);
    result = await answersFromFlags(dir, flags, cwd);
    if (!flags.force && !isEmptyDir(result.answers.projectDir)) {
      throw new UserError(`${shown(cwd, result.answers.projectDir)} is not empty; pass --force to overwrite picofun's files in it`);
    }
  } else {
    if (!canPrompt()) {
      throw new UserError("no terminal to ask questions on; run again with --yes and flags (e.g. --yes --spec openapi.yaml)");
    }
    const { askAnswers } = await import("../../wizard/flow.js");
    const p = onPromptStream(await importPackage<typeof import("@inquirer/prompts")>("@inquirer/prompts"));
    result = await askAnswers({ p, cwd, say: (line) => process.stdout.write(`${line}\n`) }, dir, flags);
  }
  const { answers, model } = result;
  const written = await writeProject(answers);
  process.stdout.write(`Wrote ${written.join(", ")} in ${shown(cwd, answers.projectDir)}\n`);
  if (await removeStaleAllowlist(answers)) process.stdout.write(`Removed ${ALLOWLIST_FILE}: every endpoint is generated now\n`);

  const spinner = await startSpinner("Generating");
  let summary: string;
  let notes: string[];
  try {
    const generated = await generate({ cwd: answers.projectDir, force: flags.force, onStage: (t) => spinner.text(t) });
    spinner.stop();
    summary = generationSummary(generated, cwd);
    notes = generated.notes;
  } catch (err) {
    spinner.fail();
    throw err;
  }
  const root = await writeRootModule(answers);
  process.stdout.write(`${summary.split("\nNext:")[0].trimEnd()}\n`);
  if (root === "written") process.stdout.write(`Wrote ${ROOT_MODULE_FILE}: the root module that deploys the generated one\n`);
  else if (root === "kept") process.stdout.write(`Kept your ${ROOT_MODULE_FILE}: point its module block at ${shown(answers.projectDir, answers.outputDir)}\n`);
  process.stdout.write(`${nextSteps(answers, model, cwd, notes).join("\n")}\n`);
}

export function nextSteps(answers: WizardAnswers, model: ApiModel, cwd: string, notes: string[]): string[] {
  const project = shown(cwd, answers.projectDir);
  const lines = ["", "Next steps:"];
  if (project !== ".") lines.push(`  cd ${project}`);
  lines.push("  npm install                 # picofun as a dev dependency, for `npm run generate`");
  lines.push("  terraform init               # in the project folder: main.tf calls the generated module");
  lines.push("  terraform apply");
  const hint = ssmHint(answers, model);
  if (hint && !notes.some((n) => n.includes("ssm put-parameter"))) {
    lines.push("", "Then store the API credentials (after apply):", ...hint.split("\n").map((l) => `  ${l}`));
  }
  return lines;
}
