/**
 * `sync --watch`, api kind: which saves of handler files need the zips rebuilt, and the line each
 * such cycle prints. A file is judged by its content against what the last run packaged, so
 * picofun's own stub writes and saves that change nothing start no cycle.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { GenerateResult } from "../pipeline/generate.js";
import { sharedFiles } from "../handlers/shared.js";

/** Handler file (absolute) -> sha256 of the content the last run packaged. */
export type Packaged = Map<string, string>;

function digest(file: string): string | undefined {
  try {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return undefined;
  }
}

/** The handler files a generation packaged, with their content hashes. */
export function packagedHandlers(result: GenerateResult): Packaged {
  const out: Packaged = new Map();
  for (const job of result.plan.userOwned ?? []) {
    const file = join(result.config.handlersDir, job.path);
    out.set(file, digest(file) ?? "");
  }
  // Typed handlers: the shared code and the dependency lists are packaged too.
  if (result.config.kind === "api" && result.config.api.language) {
    const dir = result.config.handlersDir;
    for (const rel of [...sharedFiles(dir, new Set((result.plan.userOwned ?? []).map((j) => j.path))), "requirements.txt", "package.json", "package-lock.json"]) {
      const file = join(dir, rel);
      if (!out.has(file)) out.set(file, digest(file) ?? "");
    }
  }
  return out;
}

/** Whether `file` is a packaged handler whose content is no longer what was packaged (a deleted one counts). */
export function handlerChanged(packaged: Packaged, file: string): boolean {
  const before = packaged.get(file);
  return before !== undefined && digest(file) !== before;
}

/** `12:03:04`, local time. */
export function clock(now = new Date()): string {
  return [now.getHours(), now.getMinutes(), now.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

/** Function zips this run wrote (new content), from its write report. */
export function zipsRebuilt(result: GenerateResult): number {
  return result.report.written.filter((p) => p.startsWith("build/lambdas/") && p.endsWith(".zip")).length;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `[12:03:04] handlers/get_user.py changed: 1 zip rebuilt`. */
export function handlerCycleLine(files: string[], baseDir: string, outcome: { zips: number; stubsCreated: number } | "failed", now = new Date()): string {
  const shown = files.map((f) => relative(baseDir, f) || f).sort();
  const names = shown.length > 3 ? `${shown.slice(0, 3).join(", ")} and ${shown.length - 3} more` : shown.join(", ");
  if (outcome === "failed") return `[${clock(now)}] ${names} changed: nothing rebuilt (see the error above)`;
  const created = outcome.stubsCreated ? `, ${plural(outcome.stubsCreated, "stub")} created again` : "";
  return `[${clock(now)}] ${names} changed: ${plural(outcome.zips, "zip")} rebuilt${created}`;
}
