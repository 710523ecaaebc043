/** The summary lines about handler stubs: created, kept, and the ones no operation uses any more. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { PicofunConfig } from "../../../config/types.js";
import type { FilePlan } from "../../../deployment/files.js";

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

/** The sentence every stub's header holds (operations and authorizers). */
const STUB_MARK = "picofun created this file once and never overwrites it";

/**
 * Stub files in `handlersDir` that still carry picofun's header, so a stub no operation uses is
 * warned about on every run until it is deleted (or its header is), not only on the run after
 * the rename. Files over 1 MB are not read.
 */
export function stubsOnDisk(handlersDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(handlersDir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (!/^[A-Za-z0-9_]+\.(py|mjs)$/.test(name)) continue;
    const file = join(handlersDir, name);
    try {
      const st = statSync(file);
      if (st.isFile() && st.size <= 1 << 20 && readFileSync(file, "utf8").includes(STUB_MARK)) out.push(file);
    } catch {
      // Unreadable: not ours to judge.
    }
  }
  return out;
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
  const candidates = new Set([...before.flatMap((m) => ["py", "mjs"].map((ext) => join(config.handlersDir, `${m}.${ext}`))), ...stubsOnDisk(config.handlersDir)]);
  const warnings: string[] = [];
  for (const file of [...candidates].sort()) {
    if (!current.has(file) && existsSync(file)) {
      warnings.push(`${show(file)} is not used by any operation any more (renamed or removed?): kept; delete it when you no longer need it`);
    }
  }
  return { notes, warnings };
}
