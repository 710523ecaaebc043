import { readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileInTheWay } from "../util/blockingFile.js";
import { UserError } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { ensureDir, forgetDir, writeFileAtomic } from "./atomic.js";
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

/** Terraform files are written last, so an interrupted run never points Terraform at files not yet written. */
export function writtenLast(rel: string): boolean {
  return rel.endsWith(".tf") || rel.endsWith(".tf.json");
}

/** writeFileAtomic's temporary files (`name.<pid>-<n>.tmp`) and writeFresh's staging folder. */
const TEMP_FILE = /\.\d+-\d+\.tmp$/;

/**
 * Brings `dir` to the given set of files without losing anyone's work: unchanged files are
 * not rewritten, files edited since picofun wrote them and files it never wrote are left
 * alone (unless `force`), and files it wrote before but no longer generates are removed.
 *
 * An interrupted run leaves a usable folder: every file is written through a rename (whole,
 * old or new), the handlers and zips go before the Terraform that names them, stale files go
 * only after that Terraform, and the manifest records what the run is about to write first,
 * so the next run recognises those files as picofun's (not as hand edits) and finishes the job.
 */
export async function writeOutput(dir: string, files: Map<string, string | Uint8Array>, options: WriteOptions = {}): Promise<WriteReport> {
  removeLeftoverStaging(dir);
  if (isMissingOrEmpty(dir)) return writeFresh(dir, files, options);
  const previous: Manifest = readManifest(dir) ?? { version: 1, files: {} };
  const ours = (rel: string, hash: string) => previous.files[rel] === hash || previous.pending?.[rel] === hash;
  const next: Manifest = { version: 1, files: {}, input: options.input, summary: options.summary };
  const report: WriteReport = { written: [], unchanged: [], removed: [], keptEdited: [], keptForeign: [] };
  const toWrite: Array<{ rel: string; bytes: Buffer; hash: string }> = [];

  const present = existingFiles(dir);
  for (const rel of present) {
    if (TEMP_FILE.test(rel)) rmSync(join(dir, rel), { force: true });
  }
  const readIfExists = (rel: string): Buffer | undefined => (present.has(rel) ? readFileSync(join(dir, rel)) : undefined);
  for (const [rel, content] of files) {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    const hash = sha256Hex(bytes);
    const onDisk = readIfExists(rel);
    if (onDisk && onDisk.equals(bytes)) {
      next.files[rel] = hash;
      report.unchanged.push(rel);
      continue;
    }
    if (onDisk && !options.force) {
      const known = previous.files[rel] ?? previous.pending?.[rel];
      if (known === undefined) {
        report.keptForeign.push(rel);
        continue;
      }
      if (!ours(rel, sha256Hex(onDisk))) {
        next.files[rel] = known;
        report.keptEdited.push(rel);
        continue;
      }
    }
    toWrite.push({ rel, bytes, hash });
  }

  const tracked = new Set([...Object.keys(previous.files), ...Object.keys(previous.pending ?? {})]);
  const stale = [...tracked].filter((rel) => !files.has(rel)).sort();
  if (toWrite.length || stale.length) {
    const pending = { ...previous.pending };
    for (const { rel, hash } of toWrite) pending[rel] = hash;
    writeManifest(dir, { version: 1, files: previous.files, pending });
  }

  toWrite.sort((a, b) => Number(writtenLast(a.rel)) - Number(writtenLast(b.rel)) || (a.rel < b.rel ? -1 : 1));
  for (const { rel, bytes, hash } of toWrite) {
    writeFileAtomic(join(dir, rel), bytes);
    next.files[rel] = hash;
    report.written.push(rel);
  }

  for (const rel of stale) {
    const target = join(dir, rel);
    const onDisk = readIfExists(rel);
    if (!onDisk) continue;
    if (!options.force && !ours(rel, sha256Hex(onDisk))) {
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

/** A first generation killed before its staging folder was renamed into place leaves it next to `dir`. */
function removeLeftoverStaging(dir: string): void {
  const parent = dirname(dir);
  const prefix = `${basename(dir)}.picofun-`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^(\d+)\.tmp$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : "")?.[1];
    if (pid && !processAlive(Number(pid))) {
      rmSync(join(parent, name), { recursive: true, force: true });
    }
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isMissingOrEmpty(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") throw new UserError(`${fileInTheWay(dir)}; choose another output_dir (or --output-dir)`);
    return code === "ENOENT";
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
      forgetDir(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}
