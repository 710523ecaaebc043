/** Wires typed handlers (`[api] language`) into an api plan: glue renders, stubs, zips, Lambda handlers. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PicofunConfig } from "../config/types.js";
import type { CopyJob, RenderJob, ZipJob } from "../plan/types.js";
import { installRequirements, lambdaTarget } from "../bundle/requirements.js";
import { planTypedPython, type TypedOperation } from "./planPython.js";
import { sharedFiles } from "./shared.js";
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
  functions: Record<string, { handler: string; zip: string }>;
}

export async function applyTypedHandlers(input: TypedInput): Promise<void> {
  const { config } = input;
  const plan = planTypedPython(input.doc, input.ops, config.handlersDir, config.outputDir, config.api.stage);
  input.renders.push(...plan.renders);
  input.copies.push(...plan.copies);
  // Tests and conftest after the stubs, so the stubs' zips and reports come first.
  const replaced = new Set(plan.userOwned.map((j) => j.path));
  const kept = input.userOwned.filter((j) => !replaced.has(j.path));
  input.userOwned.splice(0, input.userOwned.length, ...kept, ...plan.userOwned);
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
}
