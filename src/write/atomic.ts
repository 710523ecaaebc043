import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

let counter = 0;
const made = new Set<string>();

/** mkdir -p, remembering folders already made in this process. */
export function ensureDir(dir: string): void {
  if (made.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  made.add(dir);
}

/** Called when a folder is removed, so a later write in this process makes it again. */
export function forgetDir(dir: string): void {
  made.delete(dir);
}

/** The temporary name writeFileAtomic writes `path` under before renaming it into place. */
export function tempName(path: string): string {
  return `${path}.${process.pid}-${++counter}.tmp`;
}

/** Temporary files of writeFileAtomic (`name.<pid>-<n>.tmp`): what an interrupted write leaves. */
export const TEMP_FILE = /\.\d+-\d+\.tmp$/;

/**
 * Writes through a temporary file in the same folder and a rename, so nobody ever sees half a
 * file: an interrupted run leaves either the old or the new content. Synchronous on purpose:
 * thousands of small files are written faster this way than through the thread pool.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): void {
  const dir = dirname(path);
  ensureDir(dir);
  const tmp = tempName(path);
  const options = mode === undefined ? undefined : { mode };
  try {
    try {
      writeFileSync(tmp, data, options);
    } catch (err) {
      // The folder was removed since this process made it: make it again.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      forgetDir(dir);
      ensureDir(dir);
      writeFileSync(tmp, data, options);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
