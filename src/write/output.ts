import { readdir, readFile, rm, rmdir } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { sha256Hex } from "../util/hash.js";
import { forEachLimit, writeFileAtomic } from "./atomic.js";
import { readManifest, writeManifest, type Manifest } from "./manifest.js";

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

/**
 * Brings `dir` to the given set of files without losing anyone's work: unchanged files are
 * not rewritten, files edited since picofun wrote them and files it never wrote are left
 * alone (unless `force`), and files it wrote before but no longer generates are removed.
 */
export async function writeOutput(dir: string, files: Map<string, string | Uint8Array>, options: WriteOptions = {}): Promise<WriteReport> {
  const previous: Manifest = (await readManifest(dir)) ?? { version: 1, files: {} };
  const next: Manifest = { version: 1, files: {} };
  const report: WriteReport = { written: [], unchanged: [], removed: [], keptEdited: [], keptForeign: [] };

  await forEachLimit([...files.keys()], 32, async (rel) => {
    const content = files.get(rel)!;
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    const hash = sha256Hex(bytes);
    const target = join(dir, rel);
    const onDisk = await readIfExists(target);
    if (onDisk && onDisk.equals(bytes)) {
      next.files[rel] = hash;
      report.unchanged.push(rel);
      return;
    }
    const known = previous.files[rel];
    if (onDisk && !options.force) {
      if (known === undefined) {
        report.keptForeign.push(rel);
        return;
      }
      if (sha256Hex(onDisk) !== known) {
        next.files[rel] = known;
        report.keptEdited.push(rel);
        return;
      }
    }
    await writeFileAtomic(target, bytes);
    next.files[rel] = hash;
    report.written.push(rel);
  });

  const stale = Object.keys(previous.files).filter((rel) => !files.has(rel));
  for (const rel of stale) {
    const target = join(dir, rel);
    const onDisk = await readIfExists(target);
    if (!onDisk) continue;
    if (!options.force && sha256Hex(onDisk) !== previous.files[rel]) {
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
