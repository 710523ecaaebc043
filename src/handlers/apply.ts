/** Wires typed handlers (`[api] language`) into an api plan: glue renders, stubs, zips, Lambda handlers. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PicofunConfig } from "../config/types.js";
import type { CopyJob, FilePlan, RenderJob, ZipJob } from "../deployment/files.js";
import { installRequirements, lambdaTarget } from "../bundle/requirements.js";
import { planTypedPython, type TypedOperation } from "./planPython.js";
import { planTypedTypescript } from "./planTypescript.js";
import { sharedFiles } from "./shared.js";
import { installNodeDeps } from "./npmDeps.js";
import type { Json } from "./refs.js";

export type { TypedOperation };

export interface TypedInput {
  doc: Json;
  ops: TypedOperation[];
  config: PicofunConfig;
  renders: RenderJob[];
  copies: CopyJob[];
  userOwned: RenderJob[];
  zips: ZipJob[];
  functions: Record<string, { handler?: string; zip: string }>;
}

/** The typed stubs (and their tests) replace the single-file stubs of the same operations. */
function replaceStubs(input: TypedInput, typed: RenderJob[], dropped: Set<string>): void {
  const replaced = new Set([...typed.map((j) => j.path), ...dropped]);
  const kept = input.userOwned.filter((j) => !replaced.has(j.path));
  input.userOwned.splice(0, input.userOwned.length, ...kept, ...typed);
}

/** Adds the typed handlers to the plan; returns the plan's beforeZips hook (TypeScript: the esbuild bundles). */
export async function applyTypedHandlers(input: TypedInput): Promise<FilePlan["beforeZips"]> {
  return input.config.api.language === "typescript" ? applyTypescript(input) : applyPython(input);
}

async function applyPython(input: TypedInput): Promise<undefined> {
  const { config } = input;
  const plan = planTypedPython(input.doc, input.ops, config.handlersDir, config.outputDir, config.api.stage);
  input.renders.push(...plan.renders);
  input.copies.push(...plan.copies);
  replaceStubs(input, plan.userOwned, new Set());
  const stubs = new Set([...input.userOwned.map((j) => j.path), ...input.ops.map((o) => `${o.module}.py`)]);
  const shared = sharedFiles(config.handlersDir, stubs).map((rel) => ({ file: join(config.handlersDir, rel), name: rel }));
  const requirements = join(config.handlersDir, "requirements.txt");
  const deps = existsSync(requirements) ? await installRequirements(config.handlersDir, lambdaTarget(config.architecture, config.runtime)) : undefined;
  for (const [name, typed] of plan.functions) {
    if (!typed) continue;
    const entry = input.functions[name];
    const zip = input.zips.find((z) => z.path === entry.zip)!;
    zip.entries = typed.entries;
    zip.disk = shared;
    if (deps) zip.folders = [{ dir: deps, prefix: "" }];
    entry.handler = typed.handler;
  }
  return undefined;
}

const BUNDLE_DIR = ".picofun-bundles";

async function applyTypescript(input: TypedInput): Promise<FilePlan["beforeZips"]> {
  const { config } = input;
  const legacy = (module: string) => existsSync(join(config.handlersDir, `${module}.mjs`));
  const plan = planTypedTypescript(input.doc, input.ops, config.handlersDir, config.outputDir, config.api.stage, legacy);
  input.renders.push(...plan.renders);
  input.copies.push(...plan.copies);
  const mjs = new Set(input.ops.filter((o) => !legacy(o.module)).map((o) => `${o.module}.mjs`));
  replaceStubs(input, plan.userOwned, mjs);
  const bundles = new Map<string, string>();
  const deps = await installNodeDeps(config.handlersDir, config.architecture);
  for (const [name, entry] of plan.entries) {
    if (!entry) continue;
    const fn = input.functions[name];
    const zip = input.zips.find((z) => z.path === fn.zip)!;
    zip.entries = [{ from: `${BUNDLE_DIR}/${name}.mjs`, name: "index.mjs" }];
    fn.handler = "index.handler";
    bundles.set(name, join(config.outputDir, entry));
  }
  const stubs = new Set(input.userOwned.map((j) => join(config.handlersDir, j.path)));
  return async (files) => {
    const { bundleEntries, esbuildVersion } = await import("./tsBundle.js");
    const { BundleCache } = await import("./bundleCache.js");
    const memory = new Map<string, string>();
    for (const [path, content] of files) if (path.endsWith(".ts")) memory.set(join(config.outputDir, path), typeof content === "string" ? content : Buffer.from(content).toString("utf8"));
    const esbuildDirs = [config.baseDir, config.handlersDir];
    const cache = bundles.size ? new BundleCache(config.baseDir, config.handlersDir, stubs, config.outputDir, esbuildVersion(esbuildDirs), deps, memory) : undefined;
    const added: string[] = [];
    const put = (name: string, bytes: Uint8Array) => {
      files.set(`${BUNDLE_DIR}/${name}.mjs`, bytes);
      added.push(`${BUNDLE_DIR}/${name}.mjs`);
    };
    const stale = new Map<string, string>();
    for (const [name, entry] of bundles) {
      const kept = cache?.get(name);
      if (kept) put(name, kept);
      else stale.set(name, entry);
    }
    const started = performance.now();
    if (stale.size) {
      const built = await bundleEntries(stale, memory, config.baseDir, esbuildDirs, deps);
      for (const [name, { bytes, inputs }] of built) {
        put(name, bytes);
        cache?.set(name, bytes, inputs);
      }
      cache?.save();
    }
    if (process.env.PICOFUN_TIMINGS) process.stderr.write(`[timing] esbuild: ${stale.size} of ${bundles.size} bundles built, the others unchanged (${(performance.now() - started).toFixed(0)} ms)\n`);
    return added;
  };
}
