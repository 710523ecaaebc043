import { readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { sha256Hex } from "../util/hash.js";
import { ensureDir, writeFileAtomic } from "./atomic.js";
import { readManifest, writeManifest, type Manifest, type ManifestSummary } from "./manifest.js";

export interface WriteOptions {
  /** Overwrite files changed by hand and files picofun did not write. */
  force?: boolean;
  /** Recorded in the manifest for the next run (see reuse.ts). */
  input?: string;
  summary?: ManifestSummary;
}

export interface WriteReport {
  written: string[];
  unchanged: string[];
  removed: string[];
  /** Generated files edited by hand: left as they are. */
  keptEdited: string[];
  /** Files in the way that picofun did not write: left as they are. */
  keptForeign: string[];
}

/** Every file under `dir` (relative paths), in one walk, so missing files cost no failed reads. */
function existingFiles(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (current: string) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = join(current, e.name);
      if (e.isDirectory()) walk(full);
      else out.add(relative(dir, full).split(sep).join("/"));
    }
  };
  walk(dir);
  return out;
}

/**
 * Brings `dir` to the given set of files without losing anyone's work: unchanged files are
 * not rewritten, files edited since picofun wrote them and files it never wrote are left
 * alone (unless `force`), and files it wrote before but no longer generates are removed.
 */
export async function writeOutput(dir: string, files: Map<string, string | Uint8Array>, options: WriteOptions = {}): Promise<WriteReport> {
  if (isMissingOrEmpty(dir)) return writeFresh(dir, files, options);
  const previous: Manifest = readManifest(dir) ?? { version: 1, files: {} };
  const next: Manifest = { version: 1, files: {}, input: options.input, summary: options.summary };
  const report: WriteReport = { written: [], unchanged: [], removed: [], keptEdited: [], keptForeign: [] };

  const present = existingFiles(dir);
  const readIfExists = (rel: string): Buffer | undefined => (present.has(rel) ? readFileSync(join(dir, rel)) : undefined);
  for (const [rel, content] of files) {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    const hash = sha256Hex(bytes);
    const target = join(dir, rel);
    const onDisk = readIfExists(rel);
    if (onDisk && onDisk.equals(bytes)) {
      next.files[rel] = hash;
      report.unchanged.push(rel);
      continue;
    }
    const known = previous.files[rel];
    if (onDisk && !options.force) {
      if (known === undefined) {
        report.keptForeign.push(rel);
        continue;
      }
      if (sha256Hex(onDisk) !== known) {
        next.files[rel] = known;
        report.keptEdited.push(rel);
        continue;
      }
    }
    writeFileAtomic(target, bytes);
    next.files[rel] = hash;
    report.written.push(rel);
  }

  const stale = Object.keys(previous.files).filter((rel) => !files.has(rel));
  for (const rel of stale) {
    const target = join(dir, rel);
    const onDisk = readIfExists(rel);
    if (!onDisk) continue;
    if (!options.force && sha256Hex(onDisk) !== previous.files[rel]) {
      report.keptEdited.push(rel);
      continue;
    }
    rmSync(target, { force: true });
    report.removed.push(rel);
    removeEmptyParents(dir, dirname(target));
  }

  for (const list of Object.values(report)) list.sort();
  // Foreign files in the way are reported on every run, so such a run is never reused.
  if (report.keptForeign.length) next.input = undefined;
  writeManifest(dir, next);
  return report;
}

function isMissingOrEmpty(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/**
 * First generation into a new folder: everything is written into a sibling staging folder
 * which is then renamed into place, so the output appears whole or not at all (and no
 * per-file temporary copies are needed).
 */
function writeFresh(dir: string, files: Map<string, string | Uint8Array>, options: WriteOptions): WriteReport {
  const staging = `${dir}.picofun-${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const manifest: Manifest = { version: 1, files: {}, input: options.input, summary: options.summary };
  try {
    for (const [rel, content] of files) {
      const target = join(staging, rel);
      ensureDir(dirname(target));
      writeFileSync(target, content);
      manifest.files[rel] = sha256Hex(content);
    }
    writeManifest(staging, manifest);
    try {
      rmdirSync(dir);
    } catch {
      // it did not exist
    }
    ensureDir(dirname(dir));
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  return { written: [...files.keys()].sort(), unchanged: [], removed: [], keptEdited: [], keptForeign: [] };
}

function removeEmptyParents(root: string, start: string): void {
  let dir = start;
  while (dir.length > root.length && dir.startsWith(root + sep)) {
    try {
      if (readdirSync(dir).length) return;
      rmdirSync(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}
