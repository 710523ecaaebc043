/** What serve and invoke run for a typed handler: the generated entry point, with hot reload roots. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cacheKey, lambdaTarget } from "../bundle/requirements.js";
import { cacheRoot } from "../util/cacheDir.js";
import type { PicofunConfig } from "../config/types.js";
import { GLUE_DIR, GLUE_PACKAGE } from "./layout.js";
import { pythonStubShape } from "./shape.js";

export interface TypedEntry {
  file: string;
  module: string;
  /** Put first on the module path. */
  path: string[];
  /** Folders whose modules reload when one of them changes. */
  reload: string[];
}

/** The entry of a typed operation (undefined: a single-file stub, run as it is). */
export function typedEntry(config: PicofunConfig, module: string): TypedEntry | undefined {
  if (config.api.language !== "python") return undefined;
  if (pythonStubShape(join(config.handlersDir, `${module}.py`)) === "legacy") return undefined;
  const glue = join(config.outputDir, GLUE_DIR);
  const deps = installedRequirements(config);
  return {
    file: join(glue, GLUE_PACKAGE, "ops", `op_${module}.py`),
    module: `${GLUE_PACKAGE}.ops.op_${module}`,
    path: [config.handlersDir, glue, ...(deps ? [deps] : [])],
    reload: [config.handlersDir, glue],
  };
}

/** The folder generate installed handlers/requirements.txt into (the Lambda platform's wheels), if it did. */
function installedRequirements(config: PicofunConfig): string | undefined {
  const file = join(config.handlersDir, "requirements.txt");
  if (!existsSync(file)) return undefined;
  const dir = join(cacheRoot(), "requirements", cacheKey(readFileSync(file), lambdaTarget(config.architecture, config.runtime)));
  return existsSync(`${dir}.done`) ? dir : undefined;
}
