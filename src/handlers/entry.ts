/** What serve and invoke run for a typed handler: the generated entry point, with hot reload roots. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { cacheKey, lambdaTarget } from "../bundle/requirements.js";
import { cacheRoot } from "../util/cacheDir.js";
import type { PicofunConfig } from "../config/types.js";
import { GLUE_DIR, GLUE_PACKAGE } from "./layout.js";
import { installedNodeDeps } from "./npmDeps.js";
import { pythonStubShape } from "./shape.js";

export interface TypedEntry {
  /** The user's stub (what serve reports missing). */
  stub: string;
  file: string;
  module: string;
  /** Put first on the module path. */
  path: string[];
  /** Folders whose modules reload when one of them changes. */
  reload: string[];
  /** TypeScript: bundles the entry (stub and shared code as they are on disk now); the file to run. */
  prepare?: () => Promise<string>;
}

/** The entry of a typed operation (undefined: a single-file stub, run as it is). */
export function typedEntry(config: PicofunConfig, module: string, functionName: string): TypedEntry | undefined {
  if (config.api.language === "typescript") return typescriptEntry(config, module, functionName);
  if (config.api.language !== "python") return undefined;
  if (pythonStubShape(join(config.handlersDir, `${module}.py`)) === "legacy") return undefined;
  const glue = join(config.outputDir, GLUE_DIR);
  const deps = installedRequirements(config);
  return {
    stub: join(config.handlersDir, `${module}.py`),
    file: join(glue, GLUE_PACKAGE, "ops", `op_${module}.py`),
    module: `${GLUE_PACKAGE}.ops.op_${module}`,
    path: [config.handlersDir, glue, ...(deps ? [deps] : [])],
    reload: [config.handlersDir, glue],
  };
}

/** The folder generate installed handlers/requirements.txt into (the Lambda platform's wheels), if it did. */
function installedRequirements(config: PicofunConfig): string | undefined {
  const file = join(config.handlersDir, "requirements.txt");
  if (!existsSync(file)) return undefined;
  const dir = join(cacheRoot(), "requirements", cacheKey(readFileSync(file), lambdaTarget(config.architecture, config.runtime)));
  return existsSync(`${dir}.done`) ? dir : undefined;
}

/** A TypeScript operation: its entry bundled again on a call after any of its files changed, so edits to the stub or shared code show at once. */
function typescriptEntry(config: PicofunConfig, module: string, functionName: string): TypedEntry | undefined {
  if (existsSync(join(config.handlersDir, `${module}.mjs`))) return undefined;
  const entry = join(config.outputDir, GLUE_DIR, GLUE_PACKAGE, "ops", `${module}.entry.ts`);
  const file = join(serveBundleDir(), `${functionName}.mjs`);
  return {
    stub: join(config.handlersDir, `${module}.ts`),
    file,
    module,
    path: [],
    reload: [],
    prepare: async () => {
      const deps = installedNodeDeps(config.handlersDir, config.architecture);
      const last = lastBuilt.get(file);
      if (last && last.deps === deps && stamps(last.inputs) === last.stamps && existsSync(file)) return file;
      const { bundleEntries } = await import("./tsBundle.js");
      const built = await bundleEntries(new Map([[functionName, entry]]), new Map(), config.baseDir, [config.baseDir, config.handlersDir], deps);
      const { bytes, inputs } = built.get(functionName)!;
      const files = inputs.map((i) => resolve(config.baseDir, i)).filter((f) => !deps || !f.startsWith(deps + sep));
      // Written only when it changed: the Node.js worker imports a file again when its stamp changes.
      let same = false;
      try {
        same = Buffer.from(bytes).equals(readFileSync(file));
      } catch {
        same = false;
      }
      if (!same) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, bytes);
      }
      lastBuilt.set(file, { deps, inputs: files, stamps: stamps(files) });
      return file;
    },
  };
}

/**
 * serve's last bundle of each operation with the files it was built from: an operation whose
 * files all have the size and modification time they had is not bundled again (an edit changes
 * them, so the next request bundles it).
 */
const lastBuilt = new Map<string, { deps: string | undefined; inputs: string[]; stamps: string }>();

function stamps(files: string[]): string {
  return files
    .map((f) => {
      try {
        const st = statSync(f);
        return `${st.size}:${st.mtimeMs}`;
      } catch {
        return "missing";
      }
    })
    .join("\0");
}

let bundleDir: string | undefined;

/** serve's bundles: a folder of its own in the temp folder, never the output (serve does not change what was generated). */
function serveBundleDir(): string {
  bundleDir ??= mkdtempSync(join(tmpdir(), "picofun-serve-"));
  return bundleDir;
}
