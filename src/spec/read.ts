import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { UserError, oneLine } from "../util/errors.js";

export interface SpecSource {
  /** Absolute file path or the http(s) URL the document came from. */
  location: string;
  isUrl: boolean;
  text: string;
}

export function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/** Reads a spec from a path or an http(s) URL. */
export async function readSpecSource(location: string, cwd = process.cwd()): Promise<SpecSource> {
  if (isUrl(location)) {
    let res: Response;
    try {
      res = await fetch(location, { signal: AbortSignal.timeout(30_000), redirect: "follow" });
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      throw new UserError(`cannot fetch spec ${location}: ${oneLine(cause ?? err)}`);
    }
    if (!res.ok) throw new UserError(`cannot fetch spec ${location}: HTTP ${res.status}`);
    return { location: res.url || location, isUrl: true, text: await res.text() };
  }
  const path = resolve(cwd, location);
  try {
    return { location: path, isUrl: false, text: await readFile(path, "utf8") };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`spec file not found: ${path}`);
    if (code === "EISDIR") throw new UserError(`spec path is a folder, not a file: ${path}`);
    throw new UserError(`cannot read spec ${path}: ${oneLine(err)}`);
  }
}
