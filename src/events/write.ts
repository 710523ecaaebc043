/** `picofun events [selector...]`: an example event per function in events/ (existing files are kept). */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { loadConfig } from "../config/load.js";
import type { CliOverrides } from "../config/types.js";
import { opKey } from "../api/operationIds.js";
import { nameEndpoints } from "../naming/functionName.js";
import { requireNamespace, selectFor } from "../pipeline/generate.js";
import { loadModel } from "../pipeline/loadModel.js";
import { resolveSelectors } from "../select/selectors.js";
import { loadProject } from "../serve/project.js";
import { apiEvent, exampleEvent } from "./build.js";

export interface EventsReport {
  written: string[];
  kept: string[];
}

export async function writeEvents(selectors: string[], overrides: CliOverrides, cwd = process.cwd()): Promise<EventsReport> {
  const config = loadConfig(overrides, cwd);
  const namespace = requireNamespace(config);
  const { model } = await loadModel(config, cwd);
  const endpoints = await selectFor(config, model);
  const chosen = selectors.length ? resolveSelectors(selectors, endpoints).matched : endpoints;
  const keys = new Set(chosen.map((e) => opKey(e.method, e.path)));
  const root = join(config.configFile ? dirname(config.configFile) : cwd, "events");
  const files: Array<[string, unknown]> = [];
  if (config.kind === "api") {
    const { project } = await loadProject(overrides, cwd);
    for (const r of project.routes) {
      if (keys.has(opKey(r.method, r.specPath))) files.push([`${r.module}.json`, apiEvent(project.doc, r, project.stage, project.binaryMediaTypes)]);
    }
  } else {
    const names = nameEndpoints(endpoints, namespace);
    for (const e of chosen) files.push([`${names.get(e)!.module}.json`, exampleEvent(e)]);
  }
  const report: EventsReport = { written: [], kept: [] };
  mkdirSync(root, { recursive: true });
  for (const [name, event] of files) {
    const file = join(root, name);
    const shown = relative(cwd, file) || file;
    if (existsSync(file)) {
      report.kept.push(shown);
      continue;
    }
    writeFileSync(file, `${JSON.stringify(event, null, 2)}\n`, { flag: "wx" });
    report.written.push(shown);
  }
  return report;
}
