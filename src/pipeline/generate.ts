import { readFile } from "node:fs/promises";
import { loadConfig } from "../config/load.js";
import { requireProject } from "../config/project.js";
import { renderReadme } from "../docs/readme.js";
import { NAMESPACE_PATTERN } from "../config/schema.js";
import type { CliOverrides, PicofunConfig } from "../config/types.js";
import { clientFeatures } from "../features/index.js";
import type { ApiModel, Endpoint } from "../model/types.js";
import { nameEndpoints } from "../naming/functionName.js";
import { buildZips } from "../package/build.js";
import { planClient } from "../plan/client.js";
import type { FilePlan } from "../plan/types.js";
import { preloadPlop, renderPlan } from "../render/plop.js";
import { TemplateSet } from "../render/templates.js";
import { loadAllowlist } from "../select/allowlist.js";
import { selectEndpoints } from "../select/match.js";
import { sourceHasExternalRefs } from "../spec/load.js";
import { readSpecSource, type SpecSource } from "../spec/read.js";
import { reuseOutput, type Reused } from "../write/reuse.js";
import { inputKey } from "./inputKey.js";
import { generationRecord } from "./lastGeneration.js";
import { modelFromSource, requireSpec, type LoadedModel } from "./loadModel.js";
import { UserError } from "../util/errors.js";
import { formatMismatch } from "../config/upstream.js";
import { writeOutput, type WriteReport } from "../write/output.js";
import { checkOutputDir } from "../write/guard.js";

export interface GenerateOptions {
  overrides?: CliOverrides;
  cwd?: string;
  force?: boolean;
  /**
   * Skip the work when the inputs are exactly those of the last run into the output folder
   * and its files are all there. The result then carries no model, endpoints or plan.
   */
  reuse?: boolean;
  /** Called at each stage, for a spinner. */
  onStage?: (text: string) => void;
  /** The spec and model, when the caller loaded them already with the same config (saves a second parse). */
  loaded?: LoadedModel;
}

export interface GenerateResult {
  config: PicofunConfig;
  namespace: string;
  model: ApiModel;
  endpoints: Endpoint[];
  plan: FilePlan;
  report: WriteReport;
  functionCount: number;
  notes: string[];
  warnings: string[];
  /** True when nothing had changed since the last run and no work was done. */
  reused?: boolean;
  /** api kind: the handler stubs this run created (absolute paths). */
  stubsCreated?: string[];
}

export function requireNamespace(config: PicofunConfig): string {
  const ns = config.namespace;
  if (!ns) {
    throw new UserError('no namespace: run "picofun <namespace> <spec>" or set namespace = "..." in picofun.toml');
  }
  if (!NAMESPACE_PATTERN.re.test(ns)) throw new UserError(`namespace "${ns}" is not valid: use ${NAMESPACE_PATTERN.hint}`);
  return ns;
}

/** The endpoints the allowlist lets through (all of them without one). */
export async function selectFor(config: PicofunConfig, model: ApiModel): Promise<Endpoint[]> {
  const allow = config.includeEndpoints ? await loadAllowlist(config.includeEndpoints) : undefined;
  const endpoints = selectEndpoints(model.endpoints, allow);
  if (!endpoints.length) {
    throw new UserError(
      allow ? `no endpoint of the spec matches ${allow.file}` : `the spec has no operations under "paths"`,
    );
  }
  return endpoints;
}

/** Reads the plan's static files from the templates folders. */
async function readCopies(plan: FilePlan, templates: TemplateSet, files: Map<string, string | Uint8Array>): Promise<void> {
  await Promise.all(
    plan.copies.map(async (c) => {
      files.set(c.path, await readFile(templates.locate(c.template)));
    }),
  );
}

/** The whole pipeline: config -> spec -> model -> selection -> plan -> render -> zip -> write. */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const cwd = options.cwd ?? process.cwd();
  const timings = process.env.PICOFUN_TIMINGS ? { last: performance.now(), faults: process.resourceUsage().minorPageFault } : undefined;
  if (timings) process.stderr.write(`[timing] ${timings.last.toFixed(0)} ms from process start to the pipeline (${timings.faults} page faults)\n`);
  const stage = (text: string) => {
    if (timings) {
      const now = performance.now();
      // Page faults too: on some virtual machines touching fresh memory is most of a big run's time.
      const faults = process.resourceUsage().minorPageFault;
      process.stderr.write(`[timing] ${(now - timings.last).toFixed(0)} ms, then: ${text} (${faults - timings.faults} page faults before)\n`);
      timings.last = now;
      timings.faults = faults;
    }
    options.onStage?.(text);
  };
  const config = loadConfig(options.overrides ?? {}, cwd);
  requireProject(config, cwd);
  const namespace = requireNamespace(config);
  // A dangerous output folder (file-system root, home, above the project) is refused before any work.
  checkOutputDir(config.outputDir, config.baseDir);
  stage("Reading the spec");
  const source = options.loaded?.spec.source ?? (await readSpecSource(requireSpec(config), cwd));
  const input = inputKeyFor(config, source, !!options.force);
  if (options.reuse && input) {
    const reused = reuseOutput(config.outputDir, input);
    if (reused) {
      stage("done (nothing changed)");
      return reusedResult(config, namespace, reused);
    }
  }
  preloadPlop();
  const { spec, model } = options.loaded ?? (await modelFromSource(source, config));
  const mismatch = formatMismatch(options.overrides?.specFormat, source.bytes);
  if (mismatch) spec.warnings.push(mismatch);
  const endpoints = await selectFor(config, model);
  stage(`Planning ${endpoints.length} functions`);
  let plan: FilePlan;
  let notes: string[] = [];
  let specEdits: import("../api/updateSpec.js").SpecEdit[] = [];
  if (config.kind === "api") {
    const { planApi } = await import("../plan/api.js");
    const api = await planApi({ spec, model, endpoints, config, namespace });
    plan = api.plan;
    notes = api.notes;
    specEdits = api.specEdits;
    spec.warnings.push(...api.warnings);
  } else {
    // Named once: the features and the plan both need every endpoint's name.
    const named = nameEndpoints(endpoints, namespace);
    const extra = await clientFeatures({ model, endpoints, config, namespace, named });
    const client = planClient({ model, endpoints, config, namespace, extra, securityFor: extra.securityFor, named });
    plan = client;
    notes = [...client.notes, ...(extra.notes ?? [])];
    spec.warnings.push(...client.warnings);
  }
  if (config.iac !== "terraform") {
    const { applyIac } = await import("../iac/index.js");
    ({ plan, notes } = await applyIac({ config, namespace, model, endpoints, plan, notes }));
  }
  stage("Rendering templates");
  const templates = new TemplateSet(config.templatePath);
  const rendered = await renderPlan(plan, templates);
  const files = new Map<string, string | Uint8Array>(rendered);
  await readCopies(plan, templates, files);
  const readmeInput = { config, model, endpoints, namespace, files };
  files.set("README.md", config.iac === "cdk" ? (await import("../docs/cdkReadme.js")).renderCdkReadme(templates, readmeInput) : renderReadme(templates, readmeInput));
  if (config.kind === "client" && (config.bundle || config.preprocessor || config.postprocessor)) {
    stage("Preparing the bundle");
    const { prepareBundle } = await import("../bundle/prepare.js");
    spec.warnings.push(...(await prepareBundle(config, plan)));
  }
  let stubsCreated: string[] | undefined;
  if (plan.userOwned?.length) {
    // User-owned files (handler stubs) are created when missing; their zips hold what is on disk.
    const { writeUserOwned, readUserOwned } = await import("../write/userOwned.js");
    const { previousHandlers, stubReport } = await import("../api/stubReport.js");
    const before = previousHandlers(config.outputDir);
    const written = await writeUserOwned(plan, rendered, config);
    stubsCreated = written.created;
    const stubs = stubReport(plan, config, written.created, before, written.removedTemps);
    notes.push(...stubs.notes);
    spec.warnings.push(...stubs.warnings);
    for (const [path, data] of await readUserOwned(plan, config)) files.set(path, data);
  }
  stage("Packaging");
  const zipOnly = plan.beforeZips ? await plan.beforeZips(files) : [];
  const zips = await buildZips(plan.zips, files);
  for (const path of zipOnly) files.delete(path);
  for (const [path, data] of zips) files.set(path, data);
  stage("Writing files");
  const functionCount = plan.functionCount ?? (plan.zips.filter((z) => z.path.startsWith("build/lambdas/")).length || endpoints.length);
  const report = await writeOutput(config.outputDir, withoutUserOwned(files, plan), {
    force: options.force,
    projectDir: config.baseDir,
    input,
    generation: generationRecord(options.overrides ?? {}, config, source, cwd),
    summary: { title: model.title, kind: config.kind, functionCount, notes, warnings: spec.warnings },
  });
  if (config.api.updateSpec && specEdits.length) {
    const { updateSpecFile } = await import("../api/updateSpec.js");
    const n = await updateSpecFile(spec.source.location, specEdits);
    if (n) notes.push(`${n} change(s) written back to ${spec.source.location}`);
  }
  stage("done");
  return {
    config,
    namespace,
    model,
    endpoints,
    plan,
    report,
    functionCount,
    notes,
    warnings: spec.warnings,
    stubsCreated,
  };
}

/**
 * The input fingerprint, when a run can be skipped at all: client kind only (api mode
 * writes into the user's own files), and no external $refs (their files are not hashed).
 */
function inputKeyFor(config: PicofunConfig, source: SpecSource, force: boolean): string | undefined {
  if (config.kind !== "client" || sourceHasExternalRefs(source)) return undefined;
  return inputKey(config, source, force);
}

function reusedResult(config: PicofunConfig, namespace: string, reused: Reused): GenerateResult {
  const { summary, report } = reused;
  const model: ApiModel = {
    title: summary.title,
    version: "",
    openapiVersion: "",
    servers: [],
    endpoints: [],
    securitySchemes: {},
    location: config.spec ?? "",
    locationIsUrl: false,
  };
  return {
    config,
    namespace,
    model,
    endpoints: [],
    plan: { generator: config.kind, renders: [], copies: [], zips: [] },
    report,
    functionCount: summary.functionCount,
    notes: summary.notes,
    warnings: summary.warnings,
    reused: true,
  };
}

function withoutUserOwned(files: Map<string, string | Uint8Array>, plan: FilePlan): Map<string, string | Uint8Array> {
  if (!plan.userOwned?.length) return files;
  const owned = new Set(plan.userOwned.map((j) => j.path));
  return new Map([...files].filter(([path]) => !owned.has(path)));
}

