import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { sha256Hex } from "../util/hash.js";
import { forgetDir, TEMP_FILE, writeFileAtomic } from "./atomic.js";
import { withFsErrors } from "./fsError.js";
import { checkOutputDir } from "./guard.js";
import { LOCK_FILE, lockOutput } from "./lock.js";
import { knownHashes, MANIFEST_FILE, readManifest, writeManifest, type Manifest, type ManifestSummary } from "./manifest.js";
import { writeStagedFolders, type StagedFile } from "./staged.js";
import { linkOnPath, parentIn, scanOutput, type LinkInfo, type OutputScan } from "./scan.js";
import { UserError } from "../util/errors.js";
import { terminalSafe } from "../util/terminalText.js";
import { otherProcessAlive } from "../util/processAlive.js";

export interface WriteOptions {
  /** Overwrite files changed by hand and files picofun did not write. */
  force?: boolean;
  /** Recorded in the manifest for the next run (see reuse.ts). */
  input?: string;
  summary?: ManifestSummary;
  /** Recorded in the manifest: the generation's options (see pipeline/lastGeneration.ts). */
  generation?: unknown;
  /** The project folder (of picofun.toml, or the current one): no output folder above it is filled. */
  projectDir?: string;
}

export interface WriteReport {
  written: string[];
  unchanged: string[];
  removed: string[];
  /** Generated files edited by hand: left as they are. */
  keptEdited: string[];
  /** Files in the way that picofun did not write: left as they are. */
  keptForeign: string[];
  /** Symbolic links in the output folder that generated files would have been written through: skipped. */
  skippedLinks?: SkippedLink[];
}

export interface SkippedLink {
  /** The link, relative to the output folder. */
  link: string;
  target: string;
  /** Whether it points into the output folder. */
  inside: boolean;
  /** How many generated (or stale) files are under it. */
  files: number;
}

/** Terraform files are written last, so an interrupted run never points Terraform at files not yet written. */
export function writtenLast(rel: string): boolean {
  return rel.endsWith(".tf") || rel.endsWith(".tf.json");
}

/** Where new top-level folders are assembled before they are renamed into the output folder. */
const STAGING = ".picofun-staging";

/**
 * Brings `dir` to the given set of files without losing anyone's work: unchanged files are
 * not rewritten, files edited since picofun wrote them and files it never wrote are left
 * alone (unless `force`), files it wrote before but no longer generates are removed, and
 * nothing is read, written or removed through a symbolic link.
 *
 * Safe under SIGKILL at any instant, any number of times in a row: one run at a time holds the
 * folder's lock; before changing anything, the manifest records every content this run may
 * leave at each path on top of what earlier interrupted runs may have left, so the next run
 * tells picofun's files from hand edits whatever happened. Every file is written whole
 * (a temporary file renamed, or a new folder assembled aside and renamed in); handlers and
 * zips go before the Terraform that names them, stale files only after it.
 */
export async function writeOutput(dir: string, files: Map<string, string | Uint8Array>, options: WriteOptions = {}): Promise<WriteReport> {
  return withFsErrors(async () => {
    const root = checkOutputDir(dir, options.projectDir ?? process.cwd());
    removeLeftoverStaging(root);
    mkdirSync(root, { recursive: true });
    const release = await lockOutput(root);
    try {
      return await write(root, files, options);
    } finally {
      release();
    }
  }, dir);
}

async function write(root: string, files: Map<string, string | Uint8Array>, options: WriteOptions): Promise<WriteReport> {
  // Holding the lock, anything half-done in here is from a run that is gone.
  rmSync(join(root, STAGING), { recursive: true, force: true });
  const scan = scanOutput(root, (name) => name === STAGING || name.startsWith(LOCK_FILE));
  const previous: Manifest = readManifest(root) ?? { version: 1, files: {} };
  // writeFileAtomic's temporary files, only next to what picofun writes (a user's `x.1-2.tmp` elsewhere stays).
  for (const rel of scan.files) {
    const temp = TEMP_FILE.exec(rel);
    const of = temp && rel.slice(0, temp.index);
    if (of && (files.has(of) || of === MANIFEST_FILE || knownHashes(previous, of).length)) {
      rmSync(join(root, rel), { force: true });
      scan.files.delete(rel);
    }
  }
  const ours = (rel: string, hash: string) => knownHashes(previous, rel).includes(hash);
  const next: Manifest = { version: 1, files: {}, input: options.input, summary: options.summary, generation: options.generation };
  const report: WriteReport = { written: [], unchanged: [], removed: [], keptEdited: [], keptForeign: [] };
  const skipped = new Map<string, SkippedLink>();
  const skip = (link: string, info: LinkInfo) => {
    const entry = skipped.get(link) ?? { link, target: info.target, inside: info.inside, files: 0 };
    entry.files++;
    skipped.set(link, entry);
  };
  const toWrite: Array<{ rel: string; data: string | Buffer; hash: string }> = [];

  const readIfExists = (rel: string): Buffer | undefined => (scan.files.has(rel) ? readFileSync(join(root, rel)) : undefined);
  refuseInTheWay(root, files, scan);
  for (const [rel, content] of files) {
    const link = linkOnPath(rel, scan.links);
    if (link !== undefined) {
      skip(link, scan.links.get(link)!);
      continue;
    }
    // Text is hashed and written as it is (UTF-8 both times); bytes are only made to compare with a file already there.
    const data = typeof content === "string" ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    const hash = sha256Hex(data);
    const onDisk = readIfExists(rel);
    if (onDisk && onDisk.equals(typeof data === "string" ? Buffer.from(data, "utf8") : data)) {
      next.files[rel] = hash;
      report.unchanged.push(rel);
      continue;
    }
    if (onDisk && !options.force) {
      const known = knownHashes(previous, rel);
      if (!known.length) {
        report.keptForeign.push(rel);
        continue;
      }
      if (!known.includes(sha256Hex(onDisk))) {
        // Still picofun's path: the next run keeps telling the edit from picofun's content.
        next.files[rel] = previous.files[rel] ?? known[known.length - 1];
        report.keptEdited.push(rel);
        continue;
      }
    }
    toWrite.push({ rel, data, hash });
  }

  const tracked = new Set([...Object.keys(previous.files), ...Object.keys(previous.pending ?? {})]);
  const stale: string[] = [];
  for (const rel of [...tracked].sort()) {
    if (files.has(rel)) continue;
    const link = linkOnPath(rel, scan.links);
    if (link !== undefined) skip(link, scan.links.get(link)!);
    else if (scan.files.has(rel)) stale.push(rel);
  }

  if (toWrite.length || stale.length) {
    // Before anything changes: every content this run may leave, on top of what interrupted runs may have left.
    const pending: Record<string, string[]> = {};
    for (const [rel, hashes] of Object.entries(previous.pending ?? {})) pending[rel] = [...hashes];
    for (const { rel, hash } of toWrite) {
      const list = (pending[rel] ??= []);
      if (!list.includes(hash) && previous.files[rel] !== hash) list.push(hash);
    }
    writeManifest(root, { version: 1, files: previous.files, pending });
  }

  await writeFiles(root, toWrite, scan.dirs, scan.files);
  for (const { rel, hash } of toWrite) {
    next.files[rel] = hash;
    report.written.push(rel);
  }

  const emptied = new Set<string>();
  for (const rel of stale) {
    const onDisk = readIfExists(rel)!;
    if (!options.force && !ours(rel, sha256Hex(onDisk))) {
      report.keptEdited.push(rel);
      continue;
    }
    report.removed.push(rel);
    if (rel.includes("/")) emptied.add(dirname(rel));
  }
  // In any order, so in parallel: freeing a file's blocks is what costs, and that waits on the disk.
  await Promise.all(report.removed.map((rel) => rm(join(root, rel), { force: true })));
  removeEmptyFolders(root, emptied);

  for (const list of Object.values(report)) list.sort();
  if (skipped.size) report.skippedLinks = [...skipped.values()].sort((a, b) => (a.link < b.link ? -1 : 1));
  // Foreign files and skipped links are reported on every run, so such a run is never reused.
  if (report.keptForeign.length || skipped.size) next.input = undefined;
  writeManifest(root, next);
  return report;
}

/** A file where picofun writes a folder, or a folder where it writes a file: said before anything is written. */
function refuseInTheWay(root: string, files: Map<string, unknown>, scan: OutputScan): void {
  for (const rel of files.keys()) {
    if (linkOnPath(rel, scan.links) !== undefined) continue;
    const file = parentIn(rel, scan.files);
    if (file !== undefined) {
      throw new UserError(`${terminalSafe(join(root, file))} is a file in the way of the folder picofun writes ${terminalSafe(rel)} into: move it away and run again`);
    }
    if (scan.dirs.has(rel)) {
      throw new UserError(`${terminalSafe(join(root, rel))} is a folder in the way of a file picofun writes: move it away and run again`);
    }
  }
}

/**
 * Writes the files in order: new top-level folders are assembled under the staging folder
 * and renamed in whole (src/write/staged.ts; a first generation costs a plain write a file), every other file is
 * written through writeFileAtomic, Terraform last of all.
 */
async function writeFiles(root: string, toWrite: Array<{ rel: string; data: string | Buffer }>, dirs: Set<string>, present: Set<string>): Promise<void> {
  const staged = new Map<string, StagedFile[]>();
  const single: StagedFile[] = [];
  for (const item of toWrite) {
    const slash = item.rel.indexOf("/");
    const top = slash === -1 ? undefined : item.rel.slice(0, slash);
    if (top !== undefined && !writtenLast(item.rel) && !dirs.has(top) && !present.has(top)) {
      const group = staged.get(top) ?? [];
      group.push(item);
      staged.set(top, group);
    } else single.push(item);
  }
  if (staged.size) await writeStagedFolders(root, join(root, STAGING), staged);
  single.sort((a, b) => Number(writtenLast(a.rel)) - Number(writtenLast(b.rel)) || (a.rel < b.rel ? -1 : 1));
  for (const { rel, data } of single) writeFileAtomic(join(root, rel), data);
}

/** Removes the folders (relative) that stale files left empty, and their parents when emptied too. */
function removeEmptyFolders(root: string, start: Set<string>): void {
  const queue = [...start].sort((a, b) => b.split("/").length - a.split("/").length || (a < b ? 1 : -1));
  const seen = new Set<string>();
  while (queue.length) {
    const rel = queue.shift()!;
    if (seen.has(rel) || rel === "." || rel === "") continue;
    seen.add(rel);
    try {
      rmdirSync(join(root, rel));
    } catch {
      continue; // not empty (or gone): its parents are not empty either
    }
    forgetDir(join(root, rel));
    const parent = dirname(rel);
    if (parent !== ".") {
      // Parents go after every deeper folder: keep the queue deepest first.
      const depth = parent.split("/").length;
      const at = queue.findIndex((q) => q.split("/").length < depth);
      queue.splice(at === -1 ? queue.length : at, 0, parent);
    }
  }
}

/** A first generation by an older picofun killed before its staging folder was renamed into place leaves it next to `dir`. */
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
    if (pid && !otherProcessAlive(Number(pid))) {
      rmSync(join(parent, name), { recursive: true, force: true });
    }
  }
}

