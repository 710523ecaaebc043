/**
 * esbuild for typed TypeScript handlers. picofun ships without dependencies, so esbuild comes
 * from the project (`npm i -D esbuild` next to picofun.toml or in the handlers folder); a
 * development checkout of picofun falls back to its own.
 */
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
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
      build.onLoad({ filter: /\.ts$/ }, (args) => (memory.has(args.path) ? { contents: memory.get(args.path)!, loader: "ts", resolveDir: dirname(args.path) } : undefined));
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

/**
 * Bundles each entry (name -> absolute path, read from `memory` when there, else from disk) into
 * one ES module for Node.js 20+; returns name -> bytes. Paths in the output are relative to `root`.
 */
export async function bundleEntries(entries: Map<string, string>, memory: Map<string, string>, root: string, esbuildDirs: string[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  if (!entries.size) return out;
  const esbuild = loadEsbuild(esbuildDirs);
  const outdir = join(root, ".picofun-bundle-out");
  let result: import("esbuild").BuildResult<{ write: false }>;
  try {
    result = await esbuild.build({
      entryPoints: Object.fromEntries(entries),
      absWorkingDir: root,
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: "node20",
      outdir,
      outExtension: { ".js": ".mjs" },
      plugins: [memoryPlugin(memory)],
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
    if (entries.has(name)) out.set(name, f.contents);
  }
  return out;
}
