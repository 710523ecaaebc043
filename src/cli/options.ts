import type { CliOverrides } from "../config/types.js";
import { iacFromFlags, specFormatFromFlags } from "../config/upstream.js";

/** Options every generating command shares; the names follow the seed. */
export interface GlobalFlags {
  config?: string;
  configFile?: string;
  outputDir?: string;
  layers?: string;
  bundle?: string;
  serverUrl?: string;
  kind?: string;
  iac?: string;
  /** The Python PicoFun's shortcuts for --iac. */
  tf?: boolean;
  cdk?: boolean;
  /** The Python PicoFun's --format openapi3|swagger2. */
  format?: string;
  updateSpec?: boolean;
  strict?: boolean;
  yes?: boolean;
  force?: boolean;
  debug?: boolean;
}

export function overridesFrom(flags: GlobalFlags, namespace?: string, spec?: string): CliOverrides {
  return {
    config: flags.config ?? flags.configFile,
    outputDir: flags.outputDir,
    layers: flags.layers,
    bundle: flags.bundle,
    serverUrl: flags.serverUrl,
    kind: flags.kind,
    iac: iacFromFlags(flags),
    specFormat: specFormatFromFlags(flags),
    updateSpec: flags.updateSpec,
    strict: flags.strict,
    namespace,
    spec,
  };
}
