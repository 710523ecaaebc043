/**
 * esbuild for typed TypeScript handlers. picofun ships without dependencies, so esbuild comes
 * from the project (`npm i -D esbuild` next to picofun.toml or in the handlers folder); a
 * development checkout of picofun falls back to its own.
 */
import { existsSync, statSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { UserError } from "../util/errors.js";

type Esbuild = typeof import("esbuild");

let cached: Esbuild | undefined;

export function loadEsbuild(dirs: string[]): Esbuild {
  if (cached) return cached;
  for (const dir of dirs) {
    try {
      cached = createRequire(join(dir, "package.json"))("esbuild") as Esbuild;
      return cached;
    } catch {
      // not installed there
    }
  }
  try {
    cached = createRequire(import.meta.url)("esbuild") as Esbuild;
    return cached;
  } catch {
    throw new UserError('TypeScript handlers are bundled with esbuild, which is not installed: run "npm i -D esbuild" in the project folder');
  }
}

/** The folder every path is in, with a trailing separator (the root at worst). */
function commonFolder(paths: string[]): string {
  const withSep = (dir: string) => (dir.endsWith(sep) ? dir : dir + sep);
  let prefix = withSep(dirname(paths[0]));
  for (const p of paths) {
    while (!p.startsWith(prefix)) {
      const up = withSep(dirname(prefix.slice(0, -1)));
      if (up === prefix) return prefix;
      prefix = up;
    }
  }
  return prefix;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Generated files not yet written are read from memory; they keep file paths, so the bundle names them relative to the project. */
function memoryPlugin(memory: Map<string, string>): import("esbuild").Plugin {
  return {
    name: "picofun-memory",
    setup(build) {
      build.onResolve({ filter: /^\.{1,2}\// }, (args) => {
        const base = join(args.resolveDir, args.path);
        const hit = [base, `${base}.ts`, join(base, "index.ts")].find((p) => memory.has(p));
        if (hit) return { path: hit };
        if (!memory.has(args.importer)) return undefined;
        // From generated glue (its folder may not exist yet) to files on disk: the stubs and shared code.
        const onDisk = [`${base}.ts`, `${base}.tsx`, `${base}.mts`, base.replace(/\.[cm]?js$/, ".ts"), base, `${base}.js`, `${base}.mjs`, join(base, "index.ts"), join(base, "index.js")];
        const file = onDisk.find((p) => existsSync(p) && statSync(p).isFile());
        return file ? { path: file } : undefined;
      });
      build.onResolve({ filter: /.*/ }, (args) => (args.kind === "entry-point" && memory.has(args.path) ? { path: args.path } : undefined));
      // Only files under the generated files' folder are asked for here (each call is a round trip to esbuild's process).
      if (memory.size) build.onLoad({ filter: new RegExp(`^${escapeRegExp(commonFolder([...memory.keys()]))}.*\\.ts$`) }, (args) => (memory.has(args.path) ? { contents: memory.get(args.path)!, loader: "ts", resolveDir: dirname(args.path) } : undefined));
    },
  };
}

/**
 * Bare imports (packages) from the handlers and the glue resolve from the dependencies picofun
 * installed for Lambda first (`deps/node_modules`); a package not there resolves as Node.js would.
 */
function depsPlugin(deps: string): import("esbuild").Plugin {
  const inside = deps + sep;
  return {
    name: "picofun-deps",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.picofunDeps || isBuiltin(args.path) || args.importer.startsWith(inside)) return undefined;
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir: deps, pluginData: { picofunDeps: true } });
        if (found.errors.length || !found.path.startsWith(inside)) return undefined;
        return { path: found.path, external: found.external, namespace: found.namespace, sideEffects: found.sideEffects };
      });
    },
  };
}

function failure(err: unknown): UserError {
  const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors ?? [];
  const e = errors[0];
  if (!e) return new UserError(`esbuild failed: ${String((err as Error).message ?? err).split("\n")[0]}`);
  const where = e.location ? `${e.location.file}:${e.location.line}: ` : "";
  return new UserError(`cannot bundle the TypeScript handlers: ${where}${e.text}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`);
}

export interface Built {
  bytes: Uint8Array;
  /** The files esbuild read for it, as its metafile names them (relative to the root). */
  inputs: string[];
}

/** The esbuild version that builds the bundles (part of the bundle cache's key). */
export function esbuildVersion(dirs: string[]): string {
  return loadEsbuild(dirs).version;
}

/**
 * Bundles each entry (name -> absolute path, read from `memory` when there, else from disk) into
 * one ES module for Node.js 20+; returns name -> bytes. Paths in the output are relative to `root`;
 * those of the installed dependencies (`deps`) read `node_modules/...` wherever the cache is, so
 * the bytes do not depend on the machine.
 */
export async function bundleEntries(entries: Map<string, string>, memory: Map<string, string>, root: string, esbuildDirs: string[], deps?: string): Promise<Map<string, Built>> {
  const out = new Map<string, Built>();
  if (!entries.size) return out;
  const esbuild = loadEsbuild(esbuildDirs);
  const outdir = join(root, ".picofun-bundle-out");
  let result: import("esbuild").BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      entryPoints: Object.fromEntries(entries),
      absWorkingDir: root,
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "node",
      target: "node20",
      outdir,
      outExtension: { ".js": ".mjs" },
      plugins: [memoryPlugin(memory), ...(deps ? [depsPlugin(deps)] : [])],
      logLevel: "silent",
      legalComments: "none",
      charset: "utf8",
      // CommonJS dependencies may require() Node's modules from inside the ES module.
      banner: { js: 'import { createRequire as picofunCreateRequire } from "node:module";\nconst require = picofunCreateRequire(import.meta.url);' },
    });
  } catch (err) {
    throw failure(err);
  }
  for (const f of result.outputFiles) {
    const name = f.path.slice(outdir.length + 1).replace(/\.mjs$/, "");
    if (!entries.has(name)) continue;
    const meta = result.metafile.outputs[relative(root, f.path).split(sep).join("/")];
    out.set(name, { bytes: deps ? withoutCachePath(f.contents, relative(root, deps)) : f.contents, inputs: Object.keys(meta?.inputs ?? {}) });
  }
  return out;
}

/** The bundle with the dependencies' cache folder (relative to the project) taken out of the module paths esbuild writes. */
function withoutCachePath(bytes: Uint8Array, relDeps: string): Uint8Array {
  const prefix = `${relDeps.split(sep).join("/")}/node_modules/`;
  const text = Buffer.from(bytes).toString("utf8");
  return text.includes(prefix) ? Buffer.from(text.split(prefix).join("node_modules/"), "utf8") : bytes;
}
