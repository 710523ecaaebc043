import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../config/load.js";
import type { Needs } from "./types.js";

/**
 * What the project's picofun.toml (--config, else picofun.toml in cwd) asks of the machine.
 * Without one, nothing is needed: every check only reports.
 */
export function projectNeeds(config: string | undefined, cwd = process.cwd()): Needs {
  if (!config && !existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) return { hooks: false, dirs: [cwd] };
  const c = loadConfig({ config }, cwd);
  const requirements = c.bundle && existsSync(join(c.bundle, "requirements.txt")) ? join(c.bundle, "requirements.txt") : undefined;
  return {
    configFile: c.configFile,
    kind: c.kind,
    iac: c.iac,
    runtime: c.runtime,
    requirements: requirements && relative(cwd, requirements),
    hooks: !!(c.preprocessor || c.postprocessor),
    dirs: [c.outputDir, c.baseDir],
  };
}
