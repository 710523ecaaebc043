import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { resolve } from "node:path";
import { UserError, oneLine } from "../util/errors.js";
import { ownedWithSlack, SLACK } from "./jsonText.js";

export interface SpecSource {
  /** Absolute file path or the http(s) URL the document came from. */
  location: string;
  isUrl: boolean;
  /** The document's bytes as read (what the input fingerprint hashes). */
  bytes: Uint8Array;
  /** The bytes decoded as UTF-8; decoded on first use (a big spec takes tens of milliseconds). */
  readonly text: string;
}

/** A SpecSource whose text is decoded only when something asks for it (JSON specs are parsed from the bytes). */
export function specSource(location: string, isUrl: boolean, bytes: Uint8Array): SpecSource {
  let text: string | undefined;
  return {
    location,
    isUrl,
    bytes,
    get text() {
      text ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
      return text;
    },
  };
}

const digests = new WeakMap<SpecSource, string>();

/** SHA-256 of the document's bytes, computed once per source (the fingerprints that need it share it). */
export function specDigest(source: SpecSource): string {
  let digest = digests.get(source);
  if (!digest) {
    digest = createHash("sha256").update(source.bytes).digest("hex");
    digests.set(source, digest);
  }
  return digest;
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
    return specSource(res.url || location, true, Buffer.from(await res.arrayBuffer()));
  }
  const path = resolve(cwd, location);
  try {
    return specSource(path, false, readWithSlack(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`spec file not found: ${path}`);
    if (code === "EISDIR") throw new UserError(`spec path is a folder, not a file: ${path}`);
    throw new UserError(`cannot read spec ${path}: ${oneLine(err)}`);
  }
}

/**
 * The file's bytes, read synchronously (a big spec comes in faster than through the thread pool
 * in chunks) into a buffer with room behind them, where jsonParseFast writes its escapes
 * instead of making another copy of the document.
 */
function readWithSlack(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    let buffer = Buffer.allocUnsafeSlow(fstatSync(fd).size + SLACK);
    let length = 0;
    for (;;) {
      // Reads may go into the room too: a read of 0 there is the end of the file.
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (buffer.length - length < SLACK) {
        // Larger than it said (or not a regular file): more room.
        const bigger = Buffer.allocUnsafeSlow(2 * length + SLACK);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
    }
    return ownedWithSlack(buffer, length);
  } finally {
    closeSync(fd);
  }
}
