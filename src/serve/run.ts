/**
 * `picofun serve`: generate once (so every stub exists), start the local API and its workers,
 * regenerate and reroute when the spec or picofun.toml is saved (like `sync --watch`), stop on
 * Ctrl+C. Handler edits need nothing: the workers load a changed file on its next request.
 */
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";
import type { CliOverrides, PicofunConfig } from "../config/types.js";
import { stubLanguage } from "../kinds/api/stubs/stubs.js";
import { loadConfig } from "../config/load.js";
import { generate } from "../pipeline/generate.js";
import { lastGenerationOverrides } from "../pipeline/lastGeneration.js";
import { isUrl } from "../spec/read.js";
import { oneLine } from "../util/errors.js";
import { missingHandlers } from "./routes.js";
import { LocalApi, type Project } from "./server.js";
import { loadProject } from "./project.js";
import { WorkerPool } from "../local/workers.js";

export interface ServeOptions {
  overrides: CliOverrides;
  port: number;
  host: string;
  apiKeys: string[];
  /** Generate before serving and on spec saves (default true). */
  generate?: boolean;
  watch?: boolean;
  /** Most Python workers (default DEFAULT_PYTHON_WORKERS). */
  workers?: number;
  log?: (line: string) => void;
  cwd?: string;
}

export interface RunningServe {
  url: string;
  routes: number;
  stop: () => Promise<void>;
}

export async function startServe(o: ServeOptions): Promise<RunningServe> {
  const log = o.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const cwd = o.cwd ?? process.cwd();
  // Generating again keeps the options of the last generation (a serve never undoes `generate --kind api ...`).
  const overrides = lastGenerationOverrides(o.overrides, cwd);
  const regenerate = async () => {
    if (o.generate !== false) await generate({ overrides, cwd, reuse: true });
  };
  // Check the project before generating: serve is for the api kind only.
  const first = loadConfig(overrides, cwd);
  if (first.kind !== "api") await loadProject(overrides, cwd);
  // The first worker starts while the spec loads (starting python can take most of a second).
  const pool = new WorkerPool({ log: (l) => log(`  | ${l}`), cwd: dirname(first.configFile ?? cwd), maxWorkers: o.workers });
  pool.warm(stubLanguage(first.runtime));
  let config: PicofunConfig;
  let project: Project;
  let api: LocalApi;
  let url: string;
  try {
    // Serving needs only the handler stubs: generate at start when one is missing (saves the
    // Terraform and zips on every start); saves of the spec regenerate everything.
    ({ config, project } = await loadProject(overrides, cwd));
    if (missingHandlers(project.routes).length) {
      await regenerate();
      ({ config, project } = await loadProject(overrides, cwd));
    }
    api = new LocalApi(project, { pool, apiKeys: o.apiKeys, log });
    ({ url } = await api.listen(o.port, o.host));
  } catch (err) {
    await pool.close();
    throw err;
  }
  const keyed = project.routes.some((r) => r.access.apiKey);
  log(`picofun serve: ${url} (${project.routes.length} routes, stage ${project.stage}, handlers in ${project.handlersDir})${keyed ? `; API key: ${o.apiKeys.join(", ")}` : ""}`);
  for (const f of missingHandlers(project.routes)) log(`  missing handler: ${f}`);
  const cognito = new Set(project.routes.filter((r) => r.access.authorizer?.type === "cognito").map((r) => r.access.authorizer!.scheme));
  for (const scheme of cognito) log(`  Cognito authorizer ${scheme}: tokens are checked for expiry, issuer, token_use and scopes; signatures are not verified locally`);

  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  if (o.watch !== false && config.spec && !isUrl(config.spec)) {
    const files = [config.spec, config.configFile].filter((f): f is string => !!f);
    const reload = async () => {
      try {
        await regenerate();
        const next = await loadProject(overrides, cwd);
        api.project = next.project;
        log(`spec changed: ${next.project.routes.length} routes`);
      } catch (err) {
        log(`spec changed but cannot be served: ${oneLine(err)} (still serving the previous routes)`);
      }
    };
    for (const dir of new Set(files.map((f) => dirname(f)))) {
      const names = new Set(files.filter((f) => dirname(f) === dir).map((f) => basename(f)));
      watchers.push(
        watch(dir, (_e, name) => {
          if (!name || !names.has(name.toString())) return;
          clearTimeout(timer);
          timer = setTimeout(() => (running = running.then(reload)), 200);
        }),
      );
    }
  }
  return {
    url,
    routes: project.routes.length,
    stop: async () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      await running;
      await api.close();
      await pool.close();
    },
  };
}
