import { relative } from "node:path";
import type { GenerateResult } from "../pipeline/generate.js";
import { terminalSafe as safe } from "../util/terminalText.js";
import { chalk } from "./color.js";
import { deploySteps, splitNotes } from "./nextSteps.js";

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") ? rel : path;
}

/** The notes for after the deployment (credentials), after an empty line. */
export function afterApply(notes: string[]): string[] {
  const { after } = splitNotes(notes);
  return after.length ? ["", ...after.map((n) => safe(n))] : [];
}

/** The readable end-of-run summary printed on stdout. */
export function generationSummary(result: GenerateResult, cwd = process.cwd()): string {
  const out = shown(result.config.outputDir, cwd);
  const r = result.report;
  const lines: string[] = [];
  const what = result.config.kind === "api" ? "API operations" : "functions";
  lines.push(
    `${chalk.green("✔")} ${chalk.bold(String(result.functionCount))} ${what} for ${chalk.bold(safe(result.model.title))} in ${chalk.cyan(out)}`,
  );
  lines.push(
    chalk.dim(`  ${r.written.length} written, ${r.unchanged.length} unchanged, ${r.removed.length} removed`),
  );
  for (const w of result.warnings) lines.push(`${chalk.yellow("!")} ${safe(w)}`);
  for (const f of r.keptEdited) {
    lines.push(`${chalk.yellow("!")} ${safe(f)} was edited by hand: left as it is (--force overwrites it)`);
  }
  for (const f of r.keptForeign) {
    lines.push(`${chalk.yellow("!")} ${safe(f)} was not written by picofun: left as it is (--force overwrites it)`);
  }
  for (const l of r.skippedLinks ?? []) {
    const where = l.inside ? "inside the output folder" : "outside the output folder";
    lines.push(
      `${chalk.yellow("!")} ${safe(l.link)} is a symbolic link to ${safe(l.target)} (${where}): not written through, ${l.files} generated file(s) there left out (replace the link with a real folder or file to have them written)`,
    );
  }
  for (const note of splitNotes(result.notes).now) lines.push(safe(note));
  lines.push("", "Next:", ...deploySteps(result.config, result.namespace, cwd).map((s) => `  ${s}`));
  lines.push(...afterApply(result.notes));
  return lines.join("\n");
}
