import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { bundledTemplatesDir } from "../../util/paths.js";

function listFiles(dir: string, root: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Tool caches (.mypy_cache, .ruff_cache, __pycache__) left by a type check or lint of the runtime are no part of it.
    if (entry.name.startsWith(".") || entry.name === "__pycache__" || entry.name.endsWith(".pyc")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, root, out);
    else out.push(relative(root, full).split("\\").join("/"));
  }
  return out;
}

/** The files of a runtime folder, relative to it, sorted (caches and hidden files left out). */
export function runtimeFiles(root: string): string[] {
  return listFiles(root, root, []).sort();
}

/** The runtime package shipped in every client layer (relative to templates/client/layer). */
export const LAYER_RUNTIME_FILES: string[] = runtimeFiles(join(bundledTemplatesDir(), "client", "layer"));
