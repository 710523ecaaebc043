/**
 * Runs one client-kind function locally: its generated module from output/lambdas, with the
 * layer (picorun), the bundle and its requirements on the path, in the Python worker that
 * `serve` uses, with a Lambda-like context and deadline.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { installRequirements, lambdaTarget } from "../bundle/requirements.js";
import type { CliOverrides, PicofunConfig } from "../config/types.js";
import { resolveServerUrl } from "../model/servers.js";
import { nameEndpoints } from "../naming/functionName.js";
import { openProject } from "../project/open.js";
import { generatedConfig } from "../pipeline/lastGeneration.js";
import { resolveSelectors } from "../select/selectors.js";
import { UserError } from "../util/errors.js";
import type { Invocation } from "../local/workers.js";

function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") ? rel : path;
}

export interface ClientTarget {
  functionName: string;
  invocation: Omit<Invocation, "event">;
}

/**
 * Finds the one function `selector` names in the output as it was generated (with the options of
 * that generation). Never generates: stale or missing output stops with one line saying so.
 */
export async function clientTarget(given: PicofunConfig, selector: string, o: { timeoutMs: number; serverUrl?: string; cwd: string; overrides: CliOverrides }): Promise<ClientTarget> {
  const config = await generatedConfig(o.overrides, o.cwd, shownPath(given.outputDir, o.cwd));
  const { namespace, model, endpoints } = await openProject({ config, cwd: o.cwd, project: false });
  const { matched } = resolveSelectors([selector], endpoints);
  if (matched.length !== 1) {
    throw new UserError(`"${selector}" matches ${matched.length} functions (${matched.slice(0, 5).map((e) => `${e.method.toUpperCase()} ${e.path}`).join(", ")}); name one: an operationId or "METHOD /path"`);
  }
  const named = nameEndpoints(endpoints, namespace).get(matched[0])!;
  const deps = config.bundle ? await installRequirements(config.bundle, lambdaTarget(config.architecture, config.runtime)) : undefined;
  const lambdas = join(config.outputDir, "lambdas");
  if (!existsSync(join(lambdas, `${named.module}.py`))) {
    throw new UserError(`${shownPath(join(lambdas, `${named.module}.py`), o.cwd)} is missing: run "picofun generate" to write it again`);
  }
  // --server-url as generate reads it: a URL without a path takes the path of a relative spec server.
  const serverUrl = o.serverUrl === undefined ? undefined : resolveServerUrl(model.servers, { overrideUrl: o.serverUrl, specLocation: model.location, specIsUrl: model.locationIsUrl });
  const path = [join(config.outputDir, "layer"), ...(deps ? [deps] : []), ...(config.bundle ? [config.bundle] : []), lambdas];
  return {
    functionName: named.functionName,
    invocation: {
      file: join(lambdas, `${named.module}.py`),
      module: named.module,
      functionName: named.functionName,
      timeoutMs: o.timeoutMs,
      memory: config.memorySize,
      path,
      serverUrl,
    },
  };
}
