import type { CliOverrides } from "../config/types.js";

/** Options every generating command shares; the names follow the seed. */
export interface GlobalFlags {
  config?: string;
  configFile?: string;
  outputDir?: string;
  layers?: string;
  bundle?: string;
  serverUrl?: string;
  kind?: string;
  updateSpec?: boolean;
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
    updateSpec: flags.updateSpec,
    namespace,
    spec,
  };
}
