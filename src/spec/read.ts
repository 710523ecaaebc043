import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UserError, oneLine } from "../util/errors.js";

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
    // One synchronous read: a big spec comes in faster than through the thread pool in chunks.
    return specSource(path, false, readFileSync(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`spec file not found: ${path}`);
    if (code === "EISDIR") throw new UserError(`spec path is a folder, not a file: ${path}`);
    throw new UserError(`cannot read spec ${path}: ${oneLine(err)}`);
  }
}
