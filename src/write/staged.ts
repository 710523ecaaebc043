import { mkdirSync, renameSync, rmdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** Writes in flight at once: enough to keep libuv's four threads busy, few enough to stay in order. */
const IN_FLIGHT = 8;

export interface StagedFile {
  rel: string;
  bytes: Buffer;
}

/** Writes every item, up to IN_FLIGHT at a time; rejects with the first error (the rest still settle). */
async function writeAll(items: Array<{ target: string; bytes: Buffer }>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      await writeFile(item.target, item.bytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, worker));
}

/**
 * New top-level folders: each is assembled under `staging` and renamed into `root` whole, in
 * name order, so a folder is either complete or absent. Inside one folder the order does not
 * matter, so its files are written several at a time (on a first generation of a big spec the
 * file system's calls are most of the stage, and they run on libuv's threads).
 */
export async function writeStagedFolders(root: string, staging: string, staged: Map<string, StagedFile[]>): Promise<void> {
  const made = new Set<string>();
  for (const [top, group] of [...staged].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const items = group.map(({ rel, bytes }) => ({ target: join(staging, rel), bytes }));
    for (const { target } of items) {
      const folder = dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
    }
    await writeAll(items);
    renameSync(join(staging, top), join(root, top));
  }
  rmdirSync(staging);
}
