import { readdirSync, type Dirent } from "node:fs";
import { join } from "node:path";

/**
 * Visits every entry under `dir`, depth first, in readdir's order: `visit` gets the entry and its
 * path and returns whether to go into it (a folder). Folders that cannot be read are passed over,
 * links are not followed, and nothing deeper than `maxDepth` folders is read.
 */
export function walkEntries(dir: string, visit: (entry: Dirent, full: string) => boolean, maxDepth = 20): void {
  const walk = (current: string, depth: number): void => {
    if (depth > maxDepth) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = join(current, e.name);
      if (visit(e, full) && e.isDirectory()) walk(full, depth + 1);
    }
  };
  walk(dir, 0);
}
