import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";
import { loadConfig } from "../../config/load.js";
import { generate } from "../../pipeline/generate.js";
import { isUrl } from "../../spec/read.js";
import { generationSummary } from "../../ui/summary.js";
import { UserError } from "../../util/errors.js";
import { overridesFrom, type GlobalFlags } from "../options.js";
import { reportError } from "../run.js";

export interface SyncFlags extends GlobalFlags {
  watch?: boolean;
  debounce?: string;
}

/**
 * `picofun sync [namespace] [spec] [--watch]`: generate, and with --watch again each time the
 * spec (or picofun.toml) is saved, debounced. Handler stubs are never touched once they exist.
 * Stops on SIGINT/SIGTERM (Ctrl+C).
 */
export async function syncCommand(namespace: string | undefined, spec: string | undefined, flags: SyncFlags): Promise<void> {
  const overrides = overridesFrom(flags, namespace, spec);
  const debounceMs = flags.debounce === undefined ? 300 : Number(flags.debounce);
  if (!Number.isInteger(debounceMs) || debounceMs < 0) throw new UserError(`--debounce must be a number of milliseconds, got "${flags.debounce}"`);
  const once = async () => {
    const result = await generate({ overrides, force: flags.force });
    process.stdout.write(`${generationSummary(result)}\n`);
  };
  if (!flags.watch) return once();

  const config = loadConfig(overrides);
  if (!config.spec) throw new UserError('no spec: run "picofun sync <namespace> <spec> --watch" or set spec = "..." in picofun.toml');
  if (isUrl(config.spec)) throw new UserError(`--watch needs a local spec file; ${config.spec} is a URL`);
  const watched = [config.spec, config.configFile].filter((f): f is string => !!f);

  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await once();
    } catch (err) {
      // A broken save is reported; the next save is tried again.
      reportError(err, !!flags.debug);
    } finally {
      running = false;
    }
    process.stdout.write(`Watching ${watched.join(", ")} (Ctrl+C stops)\n`);
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
        if (name && names.has(name.toString())) schedule();
      }),
    );
  }
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
