import { createHash } from "node:crypto";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { specDigest, type SpecSource } from "../spec/read.js";
import { picofunBuild } from "../util/buildId.js";
import { cacheRoot } from "../util/cacheDir.js";
import { readCacheEntry, writeCacheEntry, type CacheFolder } from "../util/cacheFolder.js";
import type { ApiModel } from "./types.js";

/** Bump when what is stored changes shape. (A new picofun build gets new keys anyway.) */
const FORMAT = "2";
/** Models kept; the least recently used go first. */
const KEEP = 24;

/** What loading a document yields besides the document itself. */
export interface CachedModel {
  version: string;
  warnings: string[];
  model: ApiModel;
}

/**
 * Building the model of a big spec means parsing all of it (GitHub's 13 MB take most of a
 * `picofun add endpoint`), while the model itself is small (1.7 MB for GitHub's). So models are
 * kept in the user's cache folder under a key made of this picofun build, where the document
 * came from and its exact bytes: any change to either gives a new key. Entries are in V8's
 * serialization format (the key names the Node version, whose V8 writes it): GitHub's model is
 * written in half the time JSON.stringify takes and read back faster than JSON.parse.
 */
export function modelCacheKey(source: SpecSource): string {
  return createHash("sha256")
    .update(`picofun-model/${FORMAT}\0${process.version}\0${picofunBuild()}\0${source.isUrl}\0${source.location}\0${specDigest(source)}`)
    .digest("hex")
    .slice(0, 40);
}

function folder(): CacheFolder {
  return { dir: join(cacheRoot(), "models"), keep: KEEP, suffix: ".v8" };
}

/** The cached model for `key`, if there is a readable one. */
export function readCachedModel(key: string): CachedModel | undefined {
  const bytes = readCacheEntry(folder(), `${key}.v8`, true);
  let data: (CachedModel & { key?: string }) | undefined;
  try {
    data = bytes && (deserialize(bytes) as CachedModel & { key?: string });
  } catch {
    return undefined;
  }
  if (data?.key !== key || typeof data.version !== "string" || !Array.isArray(data.warnings) || !Array.isArray(data.model?.endpoints)) {
    return undefined;
  }
  return { version: data.version, warnings: data.warnings, model: data.model };
}

/** Stores a model; a cache that cannot be written is not an error (the next run parses again). */
export function writeCachedModel(key: string, entry: CachedModel): void {
  writeCacheEntry(folder(), `${key}.v8`, serialize({ key, ...entry }));
}
