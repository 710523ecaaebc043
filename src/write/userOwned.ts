import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { PicofunConfig } from "../config/types.js";
import type { FilePlan } from "../plan/types.js";
import { UserError, oneLine } from "../util/errors.js";

function target(config: PicofunConfig, path: string): string {
  const file = resolve(config.handlersDir, path);
  const rel = relative(config.handlersDir, file);
  if (!rel || rel.startsWith("..") || isAbsolute(rel)) throw new Error(`user-owned file ${path} is outside ${config.handlersDir}`);
  return file;
}

/**
 * Writes each file that belongs to the user once created (handler stubs), only when it is
 * missing. The file appears whole or not at all (a temporary file hard-linked into place), and
 * an existing file, even one created meanwhile, is never replaced. Returns the files created.
 */
export async function writeUserOwned(plan: FilePlan, rendered: Map<string, string>, config: PicofunConfig): Promise<string[]> {
  const created: string[] = [];
  for (const job of plan.userOwned ?? []) {
    const content = rendered.get(job.path);
    if (content === undefined) throw new Error(`user-owned file ${job.path} was not rendered`);
    const file = target(config, job.path);
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(tmp, content);
      await link(tmp, file);
      created.push(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw new UserError(`cannot write ${file}: ${oneLine(err)}`);
    } finally {
      await rm(tmp, { force: true });
    }
  }
  return created;
}

/** The user-owned files as they are on disk now (the user's code), by plan path: what gets packaged. */
export async function readUserOwned(plan: FilePlan, config: PicofunConfig): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const job of plan.userOwned ?? []) {
    const file = target(config, job.path);
    try {
      out.set(job.path, await readFile(file));
    } catch (err) {
      throw new UserError(`cannot read handler ${file}: ${oneLine(err)}`);
    }
  }
  return out;
}
