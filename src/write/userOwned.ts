import { randomBytes } from "node:crypto";
import { link, lstat, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { PicofunConfig } from "../config/types.js";
import type { FilePlan } from "../deployment/files.js";
import { UserError, oneLine } from "../util/errors.js";
import { otherProcessAlive } from "../util/processAlive.js";

function target(config: PicofunConfig, path: string): string {
  const file = resolve(config.handlersDir, path);
  const rel = relative(config.handlersDir, file);
  if (!rel || rel.startsWith("..") || isAbsolute(rel)) throw new Error(`user-owned file ${path} is outside ${config.handlersDir}`);
  return file;
}

/** `handlers/.listPets.py.picofun-<pid>-<8 hex>.tmp`: where a stub is written before it is linked into place. */
export function stubTempName(file: string): string {
  return join(dirname(file), `.${basename(file)}.picofun-${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
}

/** picofun's temporary stub files (and the `listPets.py.<pid>.<8 hex>.tmp` of earlier builds); the pid is group 1. */
const STUB_TEMPS = [/^\..+\.picofun-(\d+)-[0-9a-f]{8}\.tmp$/, /^.+\.(?:py|mjs)\.(\d+)\.[0-9a-f]{8}\.tmp$/];


/**
 * Removes the temporary stub files an interrupted run (killed while writing stubs) left in
 * `dir`: only names of picofun's own pattern, only regular files, only when the process that
 * made them is gone (a run going on at the same time keeps its own). Returns the names removed.
 */
export async function removeStaleStubTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names.sort()) {
    const pid = STUB_TEMPS.map((re) => re.exec(name)).find(Boolean)?.[1];
    if (!pid || otherProcessAlive(Number(pid))) continue;
    const file = join(dir, name);
    try {
      if (!(await lstat(file)).isFile()) continue;
      await rm(file);
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove: left alone.
    }
  }
  return removed;
}

/** How many stubs are written (or read) at the same time. */
const WRITERS = 8;

/** Runs `one(0..count-1)`, WRITERS at a time; after a failure no new one starts, and the first failure is thrown once all have stopped. */
async function inPool(count: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { err: unknown } | undefined;
  const worker = async () => {
    while (!failed && next < count) {
      try {
        await one(next++);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITERS, count) }, worker));
  if (failed) throw failed.err;
}

/**
 * Writes each file that belongs to the user once created (handler stubs), only when it is
 * missing. The file appears whole or not at all (a temporary file hard-linked into place), and
 * an existing file, even one created meanwhile, is never replaced. Temporary files a killed run
 * left are removed first. Returns the files created and the temporary files removed.
 */
export async function writeUserOwned(plan: FilePlan, rendered: Map<string, string>, config: PicofunConfig): Promise<{ created: string[]; removedTemps: string[] }> {
  const created: string[] = [];
  const removedTemps: string[] = [];
  const dirs = new Set((plan.userOwned ?? []).map((job) => dirname(target(config, job.path))));
  for (const dir of [...dirs].sort()) for (const name of await removeStaleStubTemps(dir)) removedTemps.push(join(dir, name));
  const jobs = plan.userOwned ?? [];
  const made: boolean[] = new Array(jobs.length).fill(false);
  const dirsMade = new Map<string, Promise<unknown>>();
  const writeOne = async (i: number): Promise<void> => {
    const job = jobs[i];
    const content = rendered.get(job.path);
    if (content === undefined) throw new Error(`user-owned file ${job.path} was not rendered`);
    const file = target(config, job.path);
    const dir = dirname(file);
    if (!dirsMade.has(dir)) dirsMade.set(dir, mkdir(dir, { recursive: true }));
    await dirsMade.get(dir);
    const tmp = stubTempName(file);
    try {
      await writeFile(tmp, content);
      await link(tmp, file);
      made[i] = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw new UserError(`cannot write ${file}: ${oneLine(err)}`);
    } finally {
      await rm(tmp, { force: true });
    }
  };
  // A few at a time (thousands of stubs for a big spec): each file on its own, as above.
  await inPool(jobs.length, writeOne);
  jobs.forEach((job, i) => {
    if (made[i]) created.push(target(config, job.path));
  });
  return { created, removedTemps };
}

/** The user-owned files as they are on disk now (the user's code), by plan path: what gets packaged. */
export async function readUserOwned(plan: FilePlan, config: PicofunConfig): Promise<Map<string, Buffer>> {
  const jobs = plan.userOwned ?? [];
  const read: Buffer[] = new Array(jobs.length);
  await inPool(jobs.length, async (i) => {
    const file = target(config, jobs[i].path);
    try {
      read[i] = await readFile(file);
    } catch (err) {
      throw new UserError(`cannot read handler ${file}: ${oneLine(err)}`);
    }
  });
  return new Map(jobs.map((job, i) => [job.path, read[i]]));
}
