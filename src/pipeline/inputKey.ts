import { createHash, type Hash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { PicofunConfig } from "../config/types.js";
import { packageRoot } from "../util/paths.js";

function addTree(hash: Hash, root: string, withContent: boolean): void {
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
        if (e.name !== "__pycache__" && e.name !== "node_modules" && e.name !== ".git") walk(full);
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

let buildId: string | undefined;

/** Identifies this picofun build: its code and its bundled templates. */
function picofunBuild(): string {
  if (buildId) return buildId;
  const hash = createHash("sha256");
  const root = packageRoot();
  hash.update(readFileSync(join(root, "package.json")));
  addTree(hash, dirname(dirname(fileURLToPath(import.meta.url))), false);
  addTree(hash, join(root, "templates"), true);
  buildId = hash.digest("hex");
  return buildId;
}

/**
 * A fingerprint of everything a generation reads: picofun itself, the resolved config, the
 * spec text and every file the config points to. When it matches the one recorded with the
 * last output (and the files are still there), nothing can have changed.
 */
export function inputKey(config: PicofunConfig, specText: string, force: boolean): string {
  const hash = createHash("sha256");
  hash.update(picofunBuild()).update("\0");
  hash.update(JSON.stringify(config)).update("\0");
  hash.update(force ? "force" : "").update("\0");
  hash.update(specText).update("\0");
  if (config.includeEndpoints) {
    try {
      hash.update(readFileSync(config.includeEndpoints));
    } catch {
      hash.update("missing allowlist");
    }
  }
  if (config.templatePath) addTree(hash, config.templatePath, true);
  if (config.bundle) addTree(hash, config.bundle, true);
  if (config.kind === "api") addTree(hash, config.handlersDir, true);
  return hash.digest("hex");
}
