import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { specDigest, type SpecSource } from "../spec/read.js";
import { picofunBuild } from "../util/buildId.js";
import { cacheRoot } from "../util/cacheDir.js";
import type { ApiModel } from "./types.js";

/** Bump when what is stored changes shape. (A new picofun build gets new keys anyway.) */
const FORMAT = "1";
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
 * came from and its exact bytes: any change to either gives a new key.
 */
export function modelCacheKey(source: SpecSource): string {
  return createHash("sha256")
    .update(`picofun-model/${FORMAT}\0${picofunBuild()}\0${source.isUrl}\0${source.location}\0${specDigest(source)}`)
    .digest("hex")
    .slice(0, 40);
}

function folder(): string {
  return join(cacheRoot(), "models");
}

/** The cached model for `key`, if there is a readable one. */
export function readCachedModel(key: string): CachedModel | undefined {
  const file = join(folder(), `${key}.json`);
  let data: (CachedModel & { key?: string }) | undefined;
  try {
    data = JSON.parse(readFileSync(file, "utf8")) as CachedModel & { key?: string };
  } catch {
    return undefined;
  }
  if (data?.key !== key || typeof data.version !== "string" || !Array.isArray(data.warnings) || !Array.isArray(data.model?.endpoints)) {
    return undefined;
  }
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // only the eviction order suffers
  }
  return { version: data.version, warnings: data.warnings, model: data.model };
}

/** Stores a model; a cache that cannot be written is not an error (the next run parses again). */
export function writeCachedModel(key: string, entry: CachedModel): void {
  const dir = folder();
  const file = join(dir, `${key}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, JSON.stringify({ key, ...entry }));
    renameSync(tmp, file);
    prune(dir);
  } catch {
    rmSync(tmp, { force: true });
  }
}

function prune(dir: string): void {
  const entries = readdirSync(dir).filter((n) => n.endsWith(".json"));
  if (entries.length <= KEEP) return;
  const aged = entries
    .map((name) => {
      try {
        return { name, used: statSync(join(dir, name)).mtimeMs };
      } catch {
        return { name, used: 0 };
      }
    })
    .sort((a, b) => b.used - a.used);
  for (const { name } of aged.slice(KEEP)) rmSync(join(dir, name), { force: true });
}
