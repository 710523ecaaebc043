/** Loads what `serve` needs from an api-kind project: config, spec, routes. */
import type { CliOverrides, PicofunConfig } from "../config/types.js";
import { stubLanguage } from "../kinds/api/stubs/stubs.js";
import { opKey } from "../kinds/api/operationIds.js";
import { NO_PROJECT_HINT, openConfig, openProject, requireNamespace } from "../project/open.js";
import { UserError } from "../util/errors.js";
import { binaryMediaTypes } from "../kinds/api/gateway/gateway.js";
import { corsFrom } from "./cors.js";
import { servedSecurity } from "./access.js";
import { buildRoutes } from "./routes.js";
import type { Project } from "./server.js";

export async function loadProject(overrides: CliOverrides, cwd = process.cwd()): Promise<{ config: PicofunConfig; project: Project }> {
  const { config } = openConfig({ overrides, cwd, project: NO_PROJECT_HINT, namespace: false });
  if (config.kind !== "api") throw new UserError('picofun serve needs an api-kind project (kind = "api" in picofun.toml); for a client function use picofun invoke');
  const { namespace, spec, endpoints } = await openProject({ cwd, kind: "api" }, { config, namespace: requireNamespace(config) });
  const doc = spec.doc;
  const served = new Set(endpoints.filter((e) => e.method !== "trace").map((e) => opKey(e.method, e.path)));
  const security = servedSecurity(doc, config, served);
  // As generate: a scheme API Gateway cannot enforce stops here unless opted out (then the operation is open).
  const problem = config.api.allowUnenforcedSecurity ? undefined : security.problems[0];
  if (problem) {
    throw new UserError(`${spec.source.location}: API Gateway cannot enforce the spec's security: ${problem.message} (or set [api] allow_unenforced_security = true to serve it unprotected)`);
  }
  const routes = buildRoutes(doc, endpoints, config, namespace, security);
  return {
    config,
    project: {
      doc,
      routes,
      binaryMediaTypes: binaryMediaTypes(doc, served),
      cors: corsFrom(config.api),
      userPools: config.api.cognitoUserPools,
      handlersDir: config.handlersDir,
      lang: stubLanguage(config.runtime),
      stage: config.api.stage,
      timeoutMs: Math.min(config.timeout, 29) * 1000,
      memory: config.memorySize,
    },
  };
}
