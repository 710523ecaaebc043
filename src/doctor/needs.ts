import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../config/load.js";
import { hasProductionDependencies } from "../handlers/npmDeps.js";
import type { Needs } from "./types.js";

/**
 * What the project's picofun.toml (--config, else picofun.toml in cwd) asks of the machine.
 * Without one, nothing is needed: every check only reports.
 */
export function projectNeeds(config: string | undefined, cwd = process.cwd()): Needs {
  if (!config && !existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) return { hooks: false, dirs: [cwd] };
  const c = loadConfig({ config }, cwd);
  // pip installs a client bundle's requirements.txt, or typed Python handlers' handlers/requirements.txt.
  const folder = c.kind === "api" ? (c.api.language === "python" ? c.handlersDir : undefined) : c.bundle;
  const requirements = folder && existsSync(join(folder, "requirements.txt")) ? join(folder, "requirements.txt") : undefined;
  // npm installs typed TypeScript handlers' handlers/package.json when it has dependencies to deploy.
  const manifest = c.kind === "api" && c.api.language === "typescript" ? join(c.handlersDir, "package.json") : undefined;
  const packageJson = manifest && existsSync(manifest) && hasProductionDependencies(readFileSync(manifest, "utf8")) ? manifest : undefined;
  return {
    configFile: c.configFile,
    kind: c.kind,
    iac: c.iac,
    runtime: c.runtime,
    requirements: requirements && relative(cwd, requirements),
    packageJson: packageJson && relative(cwd, packageJson),
    hooks: !!(c.preprocessor || c.postprocessor),
    dirs: [c.outputDir, c.baseDir],
  };
}
