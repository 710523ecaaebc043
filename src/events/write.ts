/** `picofun events [selector...]`: an example event per function in events/ (existing files are kept). */
import { existsSync, lstatSync, mkdirSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { CliOverrides } from "../config/types.js";
import { opKey } from "../kinds/api/operationIds.js";
import { nameEndpoints } from "../naming/functionName.js";
import { openProject } from "../project/open.js";
import { resolveSelectors } from "../select/selectors.js";
import { loadProject } from "../serve/project.js";
import { apiEvent, exampleEvent } from "./build.js";
import { UserError } from "../util/errors.js";
import { terminalSafe } from "../util/terminalText.js";

export interface EventsReport {
  written: string[];
  kept: string[];
  /** Symbolic links whose target does not exist, with that target: kept as they are, never written through. */
  dangling: Array<{ file: string; target: string }>;
}

/** The events folder, made if missing; one line naming the problem when something else is in its place. */
function eventsFolder(root: string, cwd: string): void {
  const shown = terminalSafe(relative(cwd, root) || root);
  let stat;
  try {
    stat = lstatSync(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (stat?.isSymbolicLink()) {
    let target: string | undefined;
    try {
      stat = statSync(root);
    } catch {
      target = terminalSafe(readlinkSync(root));
    }
    if (target !== undefined) throw new UserError(`${shown} is a symbolic link to ${target}, which does not exist: create that folder, or remove the link`);
  }
  if (stat && !stat.isDirectory()) {
    throw new UserError(`${shown} is a file: picofun writes the example events into a folder of that name; rename or move the file and run again`);
  }
  mkdirSync(root, { recursive: true });
}

export async function writeEvents(selectors: string[], overrides: CliOverrides, cwd = process.cwd()): Promise<EventsReport> {
  const { config, namespace, model, endpoints } = await openProject({ overrides, cwd, project: false });
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
  const report: EventsReport = { written: [], kept: [], dangling: [] };
  eventsFolder(root, cwd);
  for (const [name, event] of files) {
    const file = join(root, name);
    const shown = relative(cwd, file) || file;
    let there;
    try {
      there = lstatSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    if (there?.isSymbolicLink() && !existsSync(file)) {
      report.dangling.push({ file: shown, target: readlinkSync(file) });
      continue;
    }
    if (there) {
      report.kept.push(shown);
      continue;
    }
    writeFileSync(file, `${JSON.stringify(event, null, 2)}\n`, { flag: "wx" });
    report.written.push(shown);
  }
  return report;
}
