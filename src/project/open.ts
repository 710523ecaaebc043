/**
 * The one way to open a project: its config (with the project check and the namespace), then the
 * spec, its model and the endpoints the allowlist selects. generate, serve, invoke, events and the
 * endpoint commands all open a project here.
 */
import { loadConfig } from "../config/load.js";
import { requireProject } from "../config/project.js";
import { NAMESPACE_PATTERN } from "../config/schema.js";
import type { CliOverrides, Kind, PicofunConfig } from "../config/types.js";
import type { ApiModel, Endpoint } from "../model/types.js";
import { loadModel } from "../pipeline/loadModel.js";
import { loadAllowlist } from "../select/allowlist.js";
import { selectEndpoints } from "../select/match.js";
import type { LoadedSpec } from "../spec/load.js";
import { UserError } from "../util/errors.js";

export const NO_PROJECT_HINT = 'run "picofun init" to create a project, or pass --config';

export interface OpenOptions {
  overrides?: CliOverrides;
  cwd?: string;
  /** The config, when the caller loaded it already. */
  config?: PicofunConfig;
  /** Refuse a folder that is no project (the hint says what to do); false: a spec on the command line is enough. */
  project?: string | false;
  /** The namespace is needed (default true). */
  namespace?: boolean;
  /** Read the spec as this kind would (the api kind always parses the document). */
  kind?: Kind;
  /** Select the endpoints the allowlist keeps (default true). */
  select?: boolean;
}

export interface OpenConfig {
  config: PicofunConfig;
  /** Empty when the options did not ask for one. */
  namespace: string;
}

export interface OpenProject extends OpenConfig {
  spec: LoadedSpec;
  model: ApiModel;
  /** The selected endpoints ([] when the options did not ask for a selection). */
  endpoints: Endpoint[];
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
    throw new UserError(allow ? `no endpoint of the spec matches ${allow.file}` : `the spec has no operations under "paths"`);
  }
  return endpoints;
}

/** The config, checked as the options ask: a project folder, a namespace. */
export function openConfig(o: OpenOptions = {}): OpenConfig {
  const cwd = o.cwd ?? process.cwd();
  const config = o.config ?? loadConfig(o.overrides ?? {}, cwd);
  if (o.project !== undefined && o.project !== false) requireProject(config, cwd, o.project);
  else if (o.project === undefined) requireProject(config, cwd);
  const namespace = o.namespace === false ? "" : requireNamespace(config);
  return { config, namespace };
}

/** The config, the spec, its model and the selected endpoints. */
export async function openProject(o: OpenOptions = {}, opened: OpenConfig = openConfig(o)): Promise<OpenProject> {
  const cwd = o.cwd ?? process.cwd();
  const { config } = opened;
  const { spec, model } = await loadModel(o.kind ? { ...config, kind: o.kind } : config, cwd);
  const endpoints = o.select === false ? [] : await selectFor(config, model);
  return { ...opened, spec, model, endpoints };
}
