import { readdir, readFile, rm, rmdir } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { sha256Hex } from "../util/hash.js";
import { forEachLimit, writeFileAtomic } from "./atomic.js";
import { readManifest, writeManifest, type Manifest } from "./manifest.js";

/** The shape of writeFileAtomic's temporary names. */
const TEMP_FILE = /\.\d+\.[0-9a-f]{8}\.tmp$/;

export interface WriteOptions {
  /** Overwrite files changed by hand and files picofun did not write. */
  force?: boolean;
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

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Terraform files are written last, so an interrupted run never points Terraform at files not yet written. */
export function writtenLast(rel: string): boolean {
  return rel.endsWith(".tf") || rel.endsWith(".tf.json");
}

/**
 * Brings `dir` to the given set of files without losing anyone's work: unchanged files are
 * not rewritten, files edited since picofun wrote them and files it never wrote are left
 * alone (unless `force`), and files it wrote before but no longer generates are removed.
 *
 * An interrupted run leaves a usable folder: every file is written through a rename (whole,
 * old or new), the handlers and zips go before the Terraform that names them, stale files go
 * only after that Terraform, and the manifest records what the run was about to write first,
 * so the next run recognises those files as picofun's.
 */
export async function writeOutput(dir: string, files: Map<string, string | Uint8Array>, options: WriteOptions = {}): Promise<WriteReport> {
  const previous: Manifest = (await readManifest(dir)) ?? { version: 1, files: {} };
  const ours = (rel: string, hash: string) => previous.files[rel] === hash || previous.pending?.[rel] === hash;
  const next: Manifest = { version: 1, files: {} };
  const report: WriteReport = { written: [], unchanged: [], removed: [], keptEdited: [], keptForeign: [] };
  const toWrite: Array<{ rel: string; bytes: Buffer; hash: string }> = [];

  await forEachLimit([...files.keys()], 32, async (rel) => {
    const content = files.get(rel)!;
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    const hash = sha256Hex(bytes);
    const onDisk = await readIfExists(join(dir, rel));
    if (onDisk && onDisk.equals(bytes)) {
      next.files[rel] = hash;
      report.unchanged.push(rel);
      return;
    }
    if (onDisk && !options.force) {
      const known = previous.files[rel] ?? previous.pending?.[rel];
      if (known === undefined) {
        report.keptForeign.push(rel);
        return;
      }
      if (!ours(rel, sha256Hex(onDisk))) {
        next.files[rel] = known;
        report.keptEdited.push(rel);
        return;
      }
    }
    toWrite.push({ rel, bytes, hash });
  });

  await removeLeftoverTemps(dir, files.keys());

  const tracked = new Set([...Object.keys(previous.files), ...Object.keys(previous.pending ?? {})]);
  const stale = [...tracked].filter((rel) => !files.has(rel)).sort();
  if (toWrite.length || stale.length) {
    const pending = { ...previous.pending };
    for (const { rel, hash } of toWrite) pending[rel] = hash;
    await writeManifest(dir, { version: 1, files: previous.files, pending });
  }

  toWrite.sort((a, b) => Number(writtenLast(a.rel)) - Number(writtenLast(b.rel)) || (a.rel < b.rel ? -1 : 1));
  const write = async ({ rel, bytes, hash }: { rel: string; bytes: Buffer; hash: string }) => {
    await writeFileAtomic(join(dir, rel), bytes);
    next.files[rel] = hash;
    report.written.push(rel);
  };
  await forEachLimit(toWrite.filter((w) => !writtenLast(w.rel)), 32, write);
  await forEachLimit(toWrite.filter((w) => writtenLast(w.rel)), 32, write);

  for (const rel of stale) {
    const target = join(dir, rel);
    const onDisk = await readIfExists(target);
    if (!onDisk) continue;
    if (!options.force && !ours(rel, sha256Hex(onDisk))) {
      report.keptEdited.push(rel);
      continue;
    }
    await rm(target, { force: true });
    report.removed.push(rel);
    await removeEmptyParents(dir, dirname(target));
  }

  for (const list of Object.values(report)) list.sort();
  await writeManifest(dir, next);
  return report;
}

/** Temporary files of an interrupted atomic write (`name.<pid>.<8 hex>.tmp`) in the folders picofun writes to. */
async function removeLeftoverTemps(root: string, rels: Iterable<string>): Promise<void> {
  const dirs = new Set<string>();
  for (const rel of rels) dirs.add(dirname(join(root, rel)));
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (TEMP_FILE.test(name)) await rm(join(dir, name), { force: true });
    }
  }
}

async function removeEmptyParents(root: string, start: string): Promise<void> {
  let dir = start;
  while (dir.length > root.length && dir.startsWith(root + sep)) {
    try {
      if ((await readdir(dir)).length) return;
      await rmdir(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}
