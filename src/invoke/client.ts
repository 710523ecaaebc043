/**
 * Runs one client-kind function locally: its generated module from output/lambdas, with the
 * layer (picorun), the bundle and its requirements on the path, in the Python worker that
 * `serve` uses, with a Lambda-like context and deadline.
 */
import { join } from "node:path";
import { installRequirements, lambdaTarget } from "../bundle/requirements.js";
import type { PicofunConfig } from "../config/types.js";
import { nameEndpoints } from "../naming/functionName.js";
import { generate, requireNamespace, selectFor } from "../pipeline/generate.js";
import { loadModel } from "../pipeline/loadModel.js";
import { resolveSelectors } from "../select/selectors.js";
import { UserError } from "../util/errors.js";
import type { Invocation } from "../serve/workers.js";

export interface ClientTarget {
  functionName: string;
  invocation: Omit<Invocation, "event">;
}

/** Generates when needed (nothing is redone when the inputs did not change) and finds the one function `selector` names. */
export async function clientTarget(config: PicofunConfig, selector: string, o: { timeoutMs: number; serverUrl?: string; cwd: string; overrides: import("../config/types.js").CliOverrides }): Promise<ClientTarget> {
  const namespace = requireNamespace(config);
  await generate({ overrides: o.overrides, cwd: o.cwd, reuse: true });
  const { model } = await loadModel(config, o.cwd);
  const endpoints = await selectFor(config, model);
  const { matched } = resolveSelectors([selector], endpoints);
  if (matched.length !== 1) {
    throw new UserError(`"${selector}" matches ${matched.length} functions (${matched.slice(0, 5).map((e) => `${e.method.toUpperCase()} ${e.path}`).join(", ")}); name one: an operationId or "METHOD /path"`);
  }
  const named = nameEndpoints(endpoints, namespace).get(matched[0])!;
  const deps = config.bundle ? await installRequirements(config.bundle, lambdaTarget(config.architecture, config.runtime)) : undefined;
  const lambdas = join(config.outputDir, "lambdas");
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
      serverUrl: o.serverUrl,
    },
  };
}
