import type { Hash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/**
 * Feeds a folder tree into a hash in a fixed order: each file's relative path with its content,
 * or (cheaper, for picofun's own code) with its size and modification time.
 */
export function addTree(hash: Hash, root: string, withContent: boolean, skipDir: (name: string, path: string) => boolean = () => false): void {
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      hash.update(`missing:${dir}\n`);
      return;
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "__pycache__" && e.name !== "node_modules" && e.name !== ".git" && !skipDir(e.name, full)) walk(full);
      } else if (e.isFile()) {
        const rel = relative(root, full).split(sep).join("/");
        if (withContent) hash.update(`${rel}\n`).update(readFileSync(full));
        else {
          const st = statSync(full);
          hash.update(`${rel}:${st.size}:${st.mtimeMs}\n`);
        }
      }
    }
  };
  walk(root);
}
