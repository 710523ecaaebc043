/** Loads what `serve` needs from an api-kind project: config, spec, routes. */
import { requireProject } from "../config/project.js";
import type { CliOverrides, PicofunConfig } from "../config/types.js";
import { loadConfig } from "../config/load.js";
import { stubLanguage } from "../api/stubs.js";
import { requireNamespace, selectFor } from "../pipeline/generate.js";
import { loadModel } from "../pipeline/loadModel.js";
import { UserError } from "../util/errors.js";
import { binaryMediaTypes } from "./binary.js";
import { corsFrom } from "./cors.js";
import { buildRoutes } from "./routes.js";
import type { Project } from "./server.js";

export async function loadProject(overrides: CliOverrides, cwd = process.cwd()): Promise<{ config: PicofunConfig; project: Project }> {
  const config = loadConfig(overrides, cwd);
  requireProject(config, cwd, 'run "picofun init" to create a project, or pass --config');
  if (config.kind !== "api") throw new UserError('picofun serve needs an api-kind project (kind = "api" in picofun.toml); for a client function use picofun invoke');
  const namespace = requireNamespace(config);
  const { spec, model } = await loadModel({ ...config, kind: "api" }, cwd);
  const endpoints = await selectFor(config, model);
  const doc = spec.doc;
  const routes = buildRoutes(doc, endpoints, config, namespace);
  return {
    config,
    project: {
      doc,
      routes,
      binaryMediaTypes: binaryMediaTypes(doc),
      cors: corsFrom(config.api),
      handlersDir: config.handlersDir,
      lang: stubLanguage(config.runtime),
      stage: config.api.stage,
      timeoutMs: Math.min(config.timeout, 29) * 1000,
      memory: config.memorySize,
    },
  };
}
