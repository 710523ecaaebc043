import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** The picofun package folder (holds templates/), from source or from dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "templates"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("picofun: cannot find the package folder");
    dir = up;
  }
  root = dir;
  return dir;
}

export function bundledTemplatesDir(): string {
  return join(packageRoot(), "templates");
}
