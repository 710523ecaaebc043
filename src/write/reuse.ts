import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sha256Hex } from "../util/hash.js";
import { LOCK_FILE } from "./lock.js";
import { readManifest, type ManifestSummary } from "./manifest.js";
import type { WriteReport } from "./output.js";

export interface Reused {
  report: WriteReport;
  summary: ManifestSummary;
}

/**
 * When the last generation into `dir` had exactly these inputs and every file it wrote is
 * still there, nothing needs rendering or writing: report the files (hand edits included)
 * as the full pipeline would. Returns undefined when a real run is needed.
 */
export function reuseOutput(dir: string, input: string): Reused | undefined {
  // A lock: another run is writing, or one was killed before tidying up (a real run takes it over).
  if (existsSync(join(dir, LOCK_FILE))) return undefined;
  const manifest = readManifest(dir);
  if (!manifest || manifest.input !== input || !manifest.summary) return undefined;
  const report: WriteReport = { written: [], unchanged: [], removed: [], keptEdited: [], keptForeign: [] };
  for (const [rel, hash] of Object.entries(manifest.files)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, rel));
    } catch {
      return undefined; // a generated file was deleted: regenerate it
    }
    (sha256Hex(bytes) === hash ? report.unchanged : report.keptEdited).push(rel);
  }
  return { report, summary: manifest.summary };
}
