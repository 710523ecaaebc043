import { relative } from "node:path";
import { generate } from "../../pipeline/generate.js";
import { startSpinner } from "../../ui/spinner.js";
import { afterApply, generationSummary } from "../../ui/summary.js";
import { deploySteps } from "../../ui/nextSteps.js";
import type { GenerateResult } from "../../pipeline/generate.js";
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
    // A trailing slash goes ("shop/" is "shop"); "/" itself stays the root, to be refused as one.
    dir = dir.trim().replace(/(?<=[^/\\])[/\\]+$/, "") || ".";
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
  let generated: GenerateResult;
  try {
    generated = await generate({ cwd: answers.projectDir, force: flags.force, onStage: (t) => spinner.text(t) });
    spinner.stop();
  } catch (err) {
    spinner.fail();
    throw err;
  }
  const root = answers.iac === "cdk" ? undefined : await writeRootModule(answers);
  process.stdout.write(`${generationSummary(generated, cwd).split("\nNext:")[0].trimEnd()}\n`);
  if (root === "written") process.stdout.write(`Wrote ${ROOT_MODULE_FILE}: the root module that deploys the generated one\n`);
  else if (root === "kept") process.stdout.write(`Kept your ${ROOT_MODULE_FILE}: point its module block at ${shown(answers.projectDir, answers.outputDir)}\n`);
  process.stdout.write(`${nextSteps(generated, answers, model, cwd).join("\n")}\n`);
}

/** The same steps `generate` prints, after `npm install`; then what to do after the deployment. */
export function nextSteps(generated: GenerateResult, answers: WizardAnswers, model: ApiModel, cwd: string): string[] {
  const steps = deploySteps(generated.config, generated.namespace, cwd);
  const cd = steps[0]?.startsWith("cd ") && generated.config.iac !== "cdk" ? [steps.shift()!] : [];
  const project = shown(cwd, answers.projectDir);
  const lines = ["", "Next steps:"];
  if (!cd.length && project !== ".") lines.push(`  cd ${project}`);
  lines.push(...cd.map((s) => `  ${s}`), "  npm install                 # picofun as a dev dependency, for `npm run generate`");
  if (generated.config.iac === "cdk") lines.push(...steps.filter((s) => s !== "npm install").map((s) => `  ${s}`));
  else lines.push(...steps.map((s) => `  ${s}`));
  const after = afterApply(generated.notes);
  const hint = ssmHint(answers, model);
  if (!after.length && hint) lines.push("", "Then store the API credentials (after apply):", ...hint.split("\n").map((l) => `  ${l}`));
  return [...lines, ...after];
}
