import { readFile } from "node:fs/promises";
import type { CliOverrides, PicofunConfig } from "../config/types.js";
import { formatMismatch } from "../config/upstream.js";
import type { FilePlan } from "../deployment/files.js";
import { emitIac } from "../iac/index.js";
import { loadKind } from "../kinds/index.js";
import type { KindModule } from "../kinds/types.js";
import type { ApiModel, Endpoint } from "../model/types.js";
import { buildZips } from "../package/build.js";
import { openConfig, selectFor } from "../project/open.js";
import { preloadPlop, renderPlan } from "../render/plop.js";
import { TemplateSet } from "../render/templates.js";
import { sourceHasExternalRefs } from "../spec/load.js";
import { readSpecSource, type SpecSource } from "../spec/read.js";
import { reuseOutput, type Reused } from "../write/reuse.js";
import { writeOutput, type WriteReport } from "../write/output.js";
import { checkOutputDir } from "../write/guard.js";
import { inputKey } from "./inputKey.js";
import { generationRecord } from "./lastGeneration.js";
import { modelFromSource, requireSpec, type LoadedModel } from "./loadModel.js";

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
  const { config, namespace } = openConfig({ overrides: options.overrides, cwd });
  // A dangerous output folder (file-system root, home, above the project) is refused before any work.
  checkOutputDir(config.outputDir, config.baseDir);
  const kind = await loadKind(config.kind);
  stage("Reading the spec");
  const source = options.loaded?.spec.source ?? (await readSpecSource(requireSpec(config), cwd));
  const input = inputKeyFor(kind, config, source, !!options.force);
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
  const run = await kind.plan({ config, namespace, spec, model, endpoints });
  spec.warnings.push(...run.warnings);
  const iac = await emitIac(run.model, config.iac);
  const { plan, notes } = iac;
  stage("Rendering templates");
  const templates = new TemplateSet(config.templatePath);
  const rendered = await renderPlan(plan, templates);
  const files = new Map<string, string | Uint8Array>(rendered);
  await readCopies(plan, templates, files);
  files.set("README.md", iac.readme(templates, { config, model, endpoints, namespace, files }));
  const { stubsCreated } = await run.afterRender({ plan, rendered, files, notes, warnings: spec.warnings, onStage: stage });
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
    // A run that created files the user owns changed its own inputs: the next run does the work.
    input: stubsCreated?.length ? undefined : input,
    generation: generationRecord(options.overrides ?? {}, config, source, cwd),
    summary: { title: model.title, kind: config.kind, functionCount, notes, warnings: spec.warnings },
  });
  await run.afterWrite({ notes });
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
 * The input fingerprint, when a run can be skipped at all: a kind that writes nothing the user
 * owns, and no external $refs (their files are not hashed).
 */
function inputKeyFor(kind: KindModule, config: PicofunConfig, source: SpecSource, force: boolean): string | undefined {
  const reusable = typeof kind.reusable === "function" ? kind.reusable(config) : kind.reusable;
  if (!reusable || sourceHasExternalRefs(source)) return undefined;
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

