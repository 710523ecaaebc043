import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { PicofunConfig } from "../config/types.js";
import type { FilePlan } from "../deployment/files.js";
import { UserError } from "../util/errors.js";
import { bundledTemplatesDir } from "../util/paths.js";
import { checkHooks } from "./hooks.js";
import { installRequirements, lambdaTarget } from "./requirements.js";

export const LAYER_ZIP = "build/layer.zip";

/**
 * Client generation, before packaging: installs the bundle's requirements.txt for the Lambda
 * platform, adds them to the layer zip next to the bundle, and checks the hook references
 * against exactly what the layer will hold. Returns warnings for the summary.
 */
export async function prepareBundle(config: PicofunConfig, plan: FilePlan): Promise<string[]> {
  let deps: string | undefined;
  if (config.bundle) {
    if (!existsSync(config.bundle) || !statSync(config.bundle).isDirectory()) {
      throw new UserError(`bundle folder not found: ${config.bundle}`);
    }
    deps = await installRequirements(config.bundle, lambdaTarget(config.architecture, config.runtime));
    if (deps) {
      const layer = plan.zips.find((z) => z.path === LAYER_ZIP);
      if (layer) layer.folders = [...(layer.folders ?? []), { dir: deps, prefix: "python/" }];
    }
  }
  // The picorun package as shipped (hooks may import it, e.g. for RequestArgs).
  const runtime = join(bundledTemplatesDir(), "client", "layer");
  const paths = [config.bundle, deps, runtime].filter((p): p is string => !!p);
  return checkHooks(config, paths);
}
