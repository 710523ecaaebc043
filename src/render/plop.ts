import { existsSync } from "node:fs";
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import type { FilePlan } from "../deployment/files.js";
import { UserError } from "../util/errors.js";
import { packageRoot } from "../util/paths.js";
import type { TemplateSet } from "./templates.js";

let loading: Promise<unknown> | undefined;

/** Starts importing node-plop and the plopfile early (it is the slowest import) without waiting. */
export function preloadPlop(): void {
  if (!loading) {
    const hooks = new URL("./plopHooks.js", import.meta.url);
    // Only the compiled build has the .js hooks (tests may run the TypeScript sources).
    if (existsSync(fileURLToPath(hooks))) register(hooks);
    loading = Promise.all([import("node-plop"), import("../../plopfile.js")]);
  }
}

/** Runs the plan's plop generator; returns output-relative path -> rendered text. */
export async function renderPlan(plan: FilePlan, templates: TemplateSet): Promise<Map<string, string>> {
  preloadPlop();
  const [{ default: nodePlop }, { default: plopfile }] = (await loading) as [
    typeof import("node-plop"),
    typeof import("../../plopfile.js"),
  ];
  const plop = await nodePlop(undefined, { destBasePath: packageRoot(), force: false });
  plop.setPlopfilePath(packageRoot());
  plopfile(plop);
  const sink = new Map<string, string>();
  const generator = plop.getGenerator(plan.generator);
  const { failures } = await generator.runActions({ plan, templates, sink } as never);
  if (failures.length) {
    // An action that throws hands plop the error itself (a UserError from TemplateSet, say).
    const first = failures[0] as unknown;
    if (first instanceof Error) throw first;
    const failure = first as { error?: string; path?: string };
    throw new UserError(failure.error ?? `rendering failed at ${failure.path}`);
  }
  return sink;
}
