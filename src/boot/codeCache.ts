/**
 * Starts picofun's CommonJS bundle (dist/bundle/picofun.cjs) through V8's code cache.
 *
 * Node 20 compiles a program's JavaScript again on every start (about 50 ms of each run here);
 * newer Node versions have module.enableCompileCache for that, Node 20 does not. So the bundle is
 * run as a vm.Script with the cached data of an earlier run, the way Python keeps __pycache__:
 * next to the program (`.cache/v8` in the package folder), or in the user's cache folder where
 * that cannot be written. V8 checks the data against the source and its own version and flags
 * and ignores data that does not fit; a run without usable data writes it when it exits. One
 * entry per kind of command, since each compiles different functions.
 */
import { readFileSync, statSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { cacheRoot } from "../util/cacheDir.js";
import { readCacheEntry, writeCacheEntry, type CacheFolder } from "../util/cacheFolder.js";

const COMMANDS = new Set(["init", "generate", "add", "remove", "list", "lint", "sync", "templates"]);
/** Entries kept per folder: a few commands of a few builds. */
const KEEP = 24;

/** A short hash of a string (32-bit FNV-1a, hex): enough to tell builds and install places apart. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** Which kind of command this process runs, from its arguments (a guess is only a cache miss). */
function commandKind(argv: string[]): string {
  if (argv.includes("--help") || argv.includes("-h")) return "help";
  const word = argv.slice(2).find((a) => !a.startsWith("-"));
  return word && COMMANDS.has(word) ? word : "default";
}

/** Folders the cache may live in, first choice first. */
function cacheFolders(bundleFile: string): CacheFolder[] {
  return [join(dirname(bundleFile), "..", "..", ".cache", "v8"), join(cacheRoot(), "v8")].map((dir) => ({ dir, keep: KEEP, suffix: ".bin" }));
}

export interface Loaded {
  exports: Record<string, unknown>;
  /** "used": compiled from cached data; "rejected": data there but not fitting; "missing": none yet. */
  cache: "used" | "rejected" | "missing";
}

/** Loads a CommonJS file as a module, compiled from the code cache when it can be. */
export function loadWithCodeCache(bundleFile: string, argv = process.argv): Loaded {
  const source = readFileSync(bundleFile, "utf8");
  const stat = statSync(bundleFile);
  // node:crypto is not loaded for this: it would cost --help more than the name is worth.
  const name = `${process.version}-${process.arch}-${fnv1a(`${bundleFile}\0${stat.size}\0${stat.mtimeMs}`)}-${commandKind(argv)}.bin`;
  const folders = cacheFolders(bundleFile);
  const cachedData = folders.map((folder) => readCacheEntry(folder, name)).find(Boolean);
  // No import() may run inside (Node 20 cannot from cached code): scripts/bundle.mjs checks the bundle has none.
  const script = new vm.Script(Module.wrap(source), { filename: bundleFile, cachedData });
  // The bundle's banner takes picofunImport: import() made here, outside the cached code (see src/util/importPackage.ts).
  const module = { exports: {} as Record<string, unknown>, picofunImport: (name: string) => import(name) };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundleFile), module, bundleFile, dirname(bundleFile));
  const cache = !cachedData ? "missing" : script.cachedDataRejected ? "rejected" : "used";
  if (cache !== "used") {
    // At exit the functions this run compiled are in the data too.
    process.once("exit", () => {
      try {
        const data = script.createCachedData();
        folders.some((folder) => writeCacheEntry(folder, name, data));
      } catch {
        // a cache that cannot be made is only a slower next start
      }
    });
  }
  return { exports: module.exports, cache };
}

/** The bundle next to the calling module (dist/bundle/main.js passes its own URL). */
export function bundleBeside(url: string, file = "picofun.cjs"): string {
  return join(dirname(fileURLToPath(url)), file);
}
