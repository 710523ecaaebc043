import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { PicofunConfig } from "../config/types.js";
import { readAllowlistText } from "../select/allowlist.js";
import { specDigest, type SpecSource } from "../spec/read.js";
import { picofunBuild } from "../util/buildId.js";
import { addTree } from "../util/treeHash.js";

/**
 * A fingerprint of everything a generation reads: picofun itself, the resolved config, the
 * spec text and every file the config points to. When it matches the one recorded with the
 * last output (and the files are still there), nothing can have changed.
 */
export function inputKey(config: PicofunConfig, source: SpecSource, force: boolean): string {
  const hash = createHash("sha256");
  hash.update(picofunBuild()).update("\0");
  // Paths relative to the project, so the same project in another folder has the same key.
  const base = config.baseDir;
  hash.update(JSON.stringify(config, (_k, v: unknown) => (typeof v === "string" && v.startsWith(base) ? relative(base, v) : v))).update("\0");
  hash.update(force ? "force" : "").update("\0");
  hash.update(specDigest(source)).update("\0");
  if (config.includeEndpoints) {
    try {
      hash.update(readAllowlistText(config.includeEndpoints));
    } catch {
      // Missing, unreadable or too big: loading it says so in one line.
      hash.update("missing allowlist");
    }
  }
  if (config.templatePath) addTree(hash, config.templatePath, true);
  if (config.bundle) addTree(hash, config.bundle, true);
  // Not the handlers' virtual environments and tool caches (.venv, .mypy_cache, venv/): big, and never packaged (src/handlers/shared.ts).
  if (config.kind === "api") addTree(hash, config.handlersDir, true, (name) => name.startsWith(".") || name === "venv");
  if (config.kind === "api" && config.api.language === "typescript") {
    // What bundles may also come from: the user's own handlers/node_modules, and esbuild's version.
    for (const file of [join(config.handlersDir, "node_modules", ".package-lock.json"), join(config.baseDir, "node_modules", "esbuild", "package.json"), join(config.handlersDir, "node_modules", "esbuild", "package.json")]) {
      try {
        hash.update(file).update(readFileSync(file));
      } catch {
        hash.update(`missing:${file}\n`);
      }
    }
  }
  return hash.digest("hex");
}
