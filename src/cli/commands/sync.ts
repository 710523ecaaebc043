import { existsSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { loadConfig } from "../../config/load.js";
import { generate } from "../../pipeline/generate.js";
import { isUrl } from "../../spec/read.js";
import { generationSummary } from "../../ui/summary.js";
import { UserError } from "../../util/errors.js";
import { clock, handlerChanged, handlerCycleLine, packagedHandlers, zipsRebuilt, type Packaged } from "../../watch/handlers.js";
import { overridesFrom, type GlobalFlags } from "../options.js";
import { reportError } from "../run.js";

export interface SyncFlags extends GlobalFlags {
  watch?: boolean;
  debounce?: string;
}

/**
 * `picofun sync [namespace] [spec] [--watch]`: generate, and with --watch again each time the
 * spec (or picofun.toml) is saved, debounced; api kind: also each time a handler file changes,
 * which repackages the zips and prints one timestamped line. Handler stubs are never touched
 * once they exist. Stops on SIGINT/SIGTERM (Ctrl+C).
 */
export async function syncCommand(namespace: string | undefined, spec: string | undefined, flags: SyncFlags): Promise<void> {
  const overrides = overridesFrom(flags, namespace, spec);
  const debounceMs = flags.debounce === undefined ? 300 : Number(flags.debounce);
  if (!Number.isInteger(debounceMs) || debounceMs < 0) throw new UserError(`--debounce must be a number of milliseconds, got "${flags.debounce}"`);
  const once = () => generate({ overrides, force: flags.force });
  if (!flags.watch) {
    process.stdout.write(`${generationSummary(await once())}\n`);
    return;
  }

  const config = loadConfig(overrides);
  if (!config.spec) throw new UserError('no spec: run "picofun sync <namespace> <spec> --watch" or set spec = "..." in picofun.toml');
  if (isUrl(config.spec)) throw new UserError(`--watch needs a local spec file; ${config.spec} is a URL`);
  const watched = [config.spec, config.configFile].filter((f): f is string => !!f);

  // What the next cycle is for: the spec (or picofun.toml) saved, and/or handler files changed.
  const specSaved = new Set<string>();
  let first = true;
  const handlersSaved = new Set<string>();
  let packaged: Packaged = new Map();
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    const full = first || specSaved.size > 0;
    // A stub the last cycle wrote itself (one deleted and made again) is what it packaged: no cycle.
    const handlers = [...handlersSaved].filter((f) => handlerChanged(packaged, f));
    handlersSaved.clear();
    if (!full && !handlers.length) return;
    running = true;
    const saved = [...specSaved].map((f) => relative(config.baseDir, f) || f).sort();
    specSaved.clear();
    const wasFirst = first;
    first = false;
    try {
      if (full && !wasFirst) process.stdout.write(`[${clock()}] ${saved.join(", ")} changed: regenerating\n`);
      const result = await once();
      packaged = packagedHandlers(result);
      const stubsCreated = result.stubsCreated?.length ?? 0;
      if (full) process.stdout.write(`${generationSummary(result)}\n`);
      else process.stdout.write(`${handlerCycleLine(handlers, config.baseDir, { zips: zipsRebuilt(result), stubsCreated })}\n`);
    } catch (err) {
      // A broken save is reported; the next save is tried again.
      reportError(err, !!flags.debug);
      if (!full) process.stdout.write(`${handlerCycleLine(handlers, config.baseDir, "failed")}\n`);
    } finally {
      running = false;
    }
    watchHandlers();
    if (full) process.stdout.write(`Watching ${[...watched, ...(handlerWatcher ? [`${config.handlersDir}/`] : [])].join(", ")} (Ctrl+C stops)\n`);
    if (again) {
      again = false;
      await run();
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  };

  // Editors often save by writing a new file and renaming it: watch the folders, not the files.
  const watchers: FSWatcher[] = [];
  for (const dir of new Set(watched.map((f) => dirname(f)))) {
    const names = new Set(watched.filter((f) => dirname(f) === dir).map((f) => basename(f)));
    watchers.push(
      watch(dir, (_event, name) => {
        if (name && names.has(name.toString())) {
          specSaved.add(join(dir, name.toString()));
          schedule();
        }
      }),
    );
  }
  // The handlers folder (api kind), once a run has made it: only saves that change a packaged file count.
  let handlerWatcher: FSWatcher | undefined;
  const watchHandlers = () => {
    if (handlerWatcher || config.kind !== "api" || !existsSync(config.handlersDir)) return;
    // Typed handlers package the folder's shared code too, in subfolders: watched recursively.
    handlerWatcher = watch(config.handlersDir, { recursive: !!config.api.language }, (_event, name) => {
      if (!name) return;
      const file = join(config.handlersDir, name.toString());
      if (!handlerChanged(packaged, file)) return;
      handlersSaved.add(file);
      schedule();
    });
    watchers.push(handlerWatcher);
  };
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      process.stdout.write("Stopped watching\n");
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    void run();
  });
}
