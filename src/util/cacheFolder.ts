import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A cache folder of single-file entries, kept to the `keep` most recently used. Nothing here
 * throws: a cache that cannot be read or written is only a slower run.
 */
export interface CacheFolder {
  dir: string;
  /** Entries kept; the least recently used (file modification time) go first. */
  keep: number;
  /** Only files with this ending count as entries. */
  suffix: string;
}

/** An entry's bytes, if it is there; `touch` marks it as just used (for the eviction order). */
export function readCacheEntry(folder: CacheFolder, name: string, touch = false): Buffer | undefined {
  const file = join(folder.dir, name);
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  if (touch) {
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // only the eviction order suffers
    }
  }
  return data;
}

/** Writes an entry whole (a temporary file and a rename), then evicts the oldest; false if it could not be written. */
export function writeCacheEntry(folder: CacheFolder, name: string, data: string | Uint8Array): boolean {
  const tmp = join(folder.dir, `${name}.${process.pid}.tmp`);
  try {
    mkdirSync(folder.dir, { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, join(folder.dir, name));
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the folder itself is not usable
    }
    return false;
  }
  evict(folder);
  return true;
}

function evict({ dir, keep, suffix }: CacheFolder): void {
  try {
    const entries = readdirSync(dir).filter((n) => n.endsWith(suffix));
    if (entries.length <= keep) return;
    const aged = entries
      .map((name) => {
        try {
          return { name, used: statSync(join(dir, name)).mtimeMs };
        } catch {
          return { name, used: 0 };
        }
      })
      .sort((a, b) => b.used - a.used);
    for (const { name } of aged.slice(keep)) rmSync(join(dir, name), { force: true });
  } catch {
    // another process evicting at the same time
  }
}
