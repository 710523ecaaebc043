/**
 * What a generation records next to its output (in the manifest) so that commands which run
 * the output (`invoke`, `serve`) use it as it was generated: the command-line options it ran
 * with, and the fingerprint of its inputs. `invoke` never regenerates: when the spec,
 * picofun.toml or picofun changed since, it says so and stops; `serve` regenerates on a spec
 * save with the recorded options, so a `--server-url` or `--bundle` given to `generate` is kept.
 */
import { isAbsolute, relative, resolve } from "node:path";
import { loadConfig } from "../config/load.js";
import type { CliOverrides, PicofunConfig } from "../config/types.js";
import { isUrl, readSpecSource, specDigest, type SpecSource } from "../spec/read.js";
import { picofunBuild } from "../util/buildId.js";
import { UserError } from "../util/errors.js";
import { terminalSafe } from "../util/terminalText.js";
import { readManifest } from "../write/manifest.js";
import { inputKey } from "./inputKey.js";
import { requireSpec } from "./loadModel.js";

/** The options of `generate` that change what is written (--config and --output-dir only find the project). */
const RECORDED = ["namespace", "spec", "kind", "iac", "layers", "bundle", "serverUrl", "specFormat"] as const;
type Recorded = (typeof RECORDED)[number];
export type RecordedOptions = Partial<Pick<CliOverrides, Recorded>>;

export interface GenerationRecord {
  /** Options given on the command line; paths relative to the project folder. */
  options: RecordedOptions;
  /** The fingerprint of the generation's inputs (pipeline/inputKey.ts, without --force). */
  input: string;
  /** The spec's digest and picofun's build, to say what changed. */
  spec: string;
  build: string;
}

const PATHS: ReadonlySet<Recorded> = new Set<Recorded>(["spec", "bundle"]);

/** The record of a generation run with `overrides` (resolved into `config`) from `source`. */
export function generationRecord(overrides: CliOverrides, config: PicofunConfig, source: SpecSource, cwd: string): GenerationRecord {
  const options: RecordedOptions = {};
  for (const key of RECORDED) {
    const value = overrides[key];
    if (value === undefined) continue;
    options[key] = PATHS.has(key) && !isUrl(value) ? relative(config.baseDir, resolve(cwd, value)) || "." : value;
  }
  return { options, input: inputKey(config, source, false), spec: specDigest(source), build: picofunBuild() };
}

function isRecord(value: unknown): value is GenerationRecord {
  const r = value as GenerationRecord | undefined;
  return !!r && typeof r === "object" && typeof r.input === "string" && typeof r.options === "object" && r.options !== null;
}

/**
 * The overrides to generate again as last time: the recorded options, under the ones given now
 * (`given`: the command's own flags; --config and --output-dir find the project).
 */
export function recordedOverrides(record: GenerationRecord, given: CliOverrides, baseDir: string): CliOverrides {
  const merged: CliOverrides = { ...given };
  for (const key of RECORDED) {
    const value = record.options[key];
    if (typeof value !== "string" || given[key] !== undefined) continue;
    merged[key] = PATHS.has(key) && !isUrl(value) && !isAbsolute(value) ? resolve(baseDir, value) : value;
  }
  return merged;
}

/** The overrides of the last generation into the output folder `overrides` lead to (as given when there is none). */
export function lastGenerationOverrides(overrides: CliOverrides, cwd: string): CliOverrides {
  const config = loadConfig(overrides, cwd);
  const record = readManifest(config.outputDir)?.generation;
  return isRecord(record) ? recordedOverrides(record, overrides, config.baseDir) : overrides;
}

/** `generate` with the recorded options, as a command line the user can run. */
function generateCommand(record: GenerationRecord): string {
  const flags: Record<string, string> = { kind: "--kind", iac: "--iac", layers: "--layers", bundle: "--bundle", serverUrl: "--server-url", specFormat: "--format" };
  const words = ["picofun generate"];
  if (record.options.namespace && record.options.spec) words.push(record.options.namespace, record.options.spec);
  for (const [key, flag] of Object.entries(flags)) {
    const value = record.options[key as Recorded];
    if (typeof value === "string") words.push(flag, /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`);
  }
  return terminalSafe(words.join(" "));
}

/**
 * The config the output in its folder was generated with, when that output is up to date with
 * the spec, picofun.toml and picofun; otherwise one line saying what is stale and stops.
 * Never writes.
 */
export async function generatedConfig(overrides: CliOverrides, cwd: string, shownOutput: string): Promise<PicofunConfig> {
  const first = loadConfig(overrides, cwd);
  const manifest = readManifest(first.outputDir);
  if (!manifest) throw new UserError(`nothing is generated in ${shownOutput} yet: run "picofun generate" first`);
  const record = manifest.generation;
  if (!isRecord(record)) {
    throw new UserError(`${shownOutput} was generated by an older picofun that did not record its options: run "picofun generate" again (with the options you generate with)`);
  }
  const config = loadConfig(recordedOverrides(record, overrides, first.baseDir), cwd);
  const source = await readSpecSource(requireSpec(config), cwd);
  if (inputKey(config, source, false) === record.input) return config;
  const what =
    specDigest(source) !== record.spec
      ? "the spec changed"
      : record.build !== picofunBuild()
        ? "picofun was updated"
        : "picofun.toml, an option or a file it names changed";
  throw new UserError(`${what} since ${shownOutput} was generated: run "${generateCommand(record)}" first (invoke runs the output as generated and never rewrites it)`);
}
