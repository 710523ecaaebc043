import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "./paths.js";
import { addTree } from "./treeHash.js";

let buildId: string | undefined;

/** Identifies this picofun build: its code and its bundled templates. */
export function picofunBuild(): string {
  if (buildId) return buildId;
  const hash = createHash("sha256");
  const root = packageRoot();
  hash.update(readFileSync(join(root, "package.json")));
  // The code that runs: the bundle (dist/bundle) when bundled, else the whole source tree.
  const here = dirname(fileURLToPath(import.meta.url));
  addTree(hash, basename(here) === "bundle" ? here : dirname(here), false);
  addTree(hash, join(root, "templates"), true);
  buildId = hash.digest("hex");
  return buildId;
}
