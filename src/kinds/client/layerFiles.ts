import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { bundledTemplatesDir } from "../../util/paths.js";

function listFiles(dir: string, root: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "__pycache__" || entry.name.endsWith(".pyc")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, root, out);
    else out.push(relative(root, full).split("\\").join("/"));
  }
  return out;
}

/** The runtime package shipped in every client layer (relative to templates/client/layer). */
export const LAYER_RUNTIME_FILES: string[] = (() => {
  const root = join(bundledTemplatesDir(), "client", "layer");
  return listFiles(root, root, []).sort();
})();
