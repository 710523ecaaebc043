/** The summary lines about handler stubs: created, kept, and the ones no operation uses any more. */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { PicofunConfig } from "../config/types.js";
import type { FilePlan } from "../plan/types.js";

const SHOWN = 20;

function list(paths: string[]): string {
  return paths.length > SHOWN ? `${paths.slice(0, SHOWN).join(", ")} and ${paths.length - SHOWN} more` : paths.join(", ");
}

/** Handler modules the last generation packaged, from the functions.tf.json it wrote. */
export function previousHandlers(outputDir: string): string[] {
  try {
    const locals = JSON.parse(readFileSync(join(outputDir, "functions.tf.json"), "utf8")).locals ?? {};
    const entries = [...Object.values(locals.functions ?? {}), ...Object.values(locals.authorizers ?? {})] as Array<{ handler?: unknown }>;
    return entries.map((f) => String(f.handler ?? "").replace(/\.handler$/, "")).filter(Boolean);
  } catch {
    return [];
  }
}

export interface StubReport {
  notes: string[];
  warnings: string[];
}

/**
 * `created`: absolute paths writeUserOwned created now; `before`: handler modules of the last
 * run; `removedTemps`: temporary stub files of a killed run it removed. Paths are shown
 * relative to the project folder. Stubs no operation uses are never deleted.
 */
export function stubReport(plan: FilePlan, config: PicofunConfig, created: string[], before: string[], removedTemps: string[] = []): StubReport {
  const show = (file: string) => relative(config.baseDir, file) || file;
  const now = new Set(created);
  const owned = (plan.userOwned ?? []).map((j) => join(config.handlersDir, j.path));
  const made = owned.filter((f) => now.has(f)).map(show);
  const kept = owned.filter((f) => !now.has(f)).map(show);
  const notes: string[] = [];
  if (made.length) notes.push(`handler stubs created (${made.length}): ${list(made)}`);
  if (kept.length) notes.push(`handler stubs kept as they are (${kept.length}): ${list(kept)}`);
  if (removedTemps.length) notes.push(`temporary files an interrupted run left removed (${removedTemps.length}): ${list(removedTemps.map(show))}`);
  const current = new Set(owned);
  const warnings: string[] = [];
  for (const module of [...new Set(before)].sort()) {
    for (const ext of ["py", "mjs"]) {
      const file = join(config.handlersDir, `${module}.${ext}`);
      if (!current.has(file) && existsSync(file)) {
        warnings.push(`${show(file)} is not used by any operation any more (renamed or removed?): kept; delete it when you no longer need it`);
      }
    }
  }
  return { notes, warnings };
}
