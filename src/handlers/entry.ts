/** What serve and invoke run for a typed handler: the generated entry point, with hot reload roots. */
import { join } from "node:path";
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
  return {
    file: join(glue, GLUE_PACKAGE, "ops", `op_${module}.py`),
    module: `${GLUE_PACKAGE}.ops.op_${module}`,
    path: [config.handlersDir, glue],
    reload: [config.handlersDir, glue],
  };
}
