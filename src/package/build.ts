import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { ZipJob } from "../deployment/files.js";
import { UserError } from "../util/errors.js";
import { buildZip, type ZipEntry } from "./zip.js";

async function folderEntries(dir: string, prefix: string): Promise<ZipEntry[]> {
  const out: ZipEntry[] = [];
  const walk = async (current: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      throw new UserError(`bundle folder not found: ${dir}`);
    }
    for (const e of entries) {
      if (e.name === "__pycache__" || e.name === ".git" || e.name.endsWith(".pyc")) continue;
      const full = join(current, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.push({ name: prefix + relative(dir, full).split("\\").join("/"), data: await readFile(full) });
    }
  };
  await walk(dir);
  return out;
}

async function readDisk(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new UserError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

/** Builds every zip of the plan from the files about to be written (and any bundled folders). */
export async function buildZips(jobs: ZipJob[], files: Map<string, string | Uint8Array>): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const job of jobs) {
    const entries: ZipEntry[] = job.entries.map(({ from, name }) => {
      const content = files.get(from);
      if (content === undefined) throw new Error(`zip ${job.path}: ${from} is not part of the plan`);
      return { name, data: typeof content === "string" ? Buffer.from(content, "utf8") : content };
    });
    for (const folder of job.folders ?? []) entries.push(...(await folderEntries(folder.dir, folder.prefix)));
    for (const d of job.disk ?? []) entries.push({ name: d.name, data: await readDisk(d.file) });
    const seen = new Set<string>();
    for (const e of entries) {
      if (seen.has(e.name)) throw new UserError(`${job.path}: two files would be stored as ${e.name}`);
      seen.add(e.name);
    }
    out.set(job.path, buildZip(entries));
  }
  return out;
}
