/** `picofun invoke`: one function, run locally, its result as JSON on stdout. */
import { requireProject } from "../config/project.js";
import { loadConfig } from "../config/load.js";
import type { CliOverrides } from "../config/types.js";
import { UserError } from "../util/errors.js";
import { WorkerPool, type Outcome } from "../local/workers.js";
import { apiTarget, type ApiRequestFlags } from "./api.js";
import { clientTarget } from "./client.js";

export interface InvokeOptions extends ApiRequestFlags {
  selector?: string;
  event: () => unknown;
  /** True when --event, --event-file or - gave the event (api kind: it is used as the proxy event). */
  eventGiven?: boolean;
  timeoutSeconds?: number;
  serverUrl?: string;
  overrides: CliOverrides;
  cwd?: string;
  /** Where what the function prints goes (stderr). */
  log?: (line: string) => void;
}

export async function invokeFunction(o: InvokeOptions): Promise<Outcome> {
  const cwd = o.cwd ?? process.cwd();
  const config = loadConfig(o.overrides, cwd);
  requireProject(config, cwd, 'run "picofun init" to create a project, or pass --config');
  const timeoutMs = Math.round((o.timeoutSeconds ?? (config.kind === "api" ? Math.min(config.timeout, 29) : config.timeout)) * 1000);
  const pool = new WorkerPool({ log: o.log ?? ((l) => process.stderr.write(`${l}\n`)), cwd });
  try {
    if (config.kind === "api") {
      const { lang, invocation } = await apiTarget(o.selector, o, o.overrides, cwd, o.eventGiven ? o.event() : undefined);
      return await pool.invoke(lang, { ...invocation, timeoutMs });
    }
    if (!o.selector) throw new UserError('name the function to run: picofun invoke <operationId | "METHOD /path"> [--event JSON]');
    const target = await clientTarget(config, o.selector, { timeoutMs, serverUrl: o.serverUrl, cwd, overrides: o.overrides });
    return await pool.invoke("python", { ...target.invocation, event: o.event() });
  } finally {
    await pool.close();
  }
}
