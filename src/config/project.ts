import { UserError } from "../util/errors.js";
import type { PicofunConfig } from "./types.js";

/**
 * Outside a project (no picofun.toml, no --config, and neither namespace nor spec given) a
 * command says so before anything else, instead of complaining about a missing key.
 */
export function requireProject(config: PicofunConfig, cwd = process.cwd(), hint = 'run "picofun init" to create a project here, or "picofun <namespace> <spec>"'): void {
  if (config.configFile || config.namespace || config.spec) return;
  throw new UserError(`no picofun.toml in ${cwd}: ${hint}`);
}
