import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize } from "node:v8";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { PicofunConfig } from "../../src/config/types.js";
import { modelCacheKey, readCachedModel, writeCachedModel } from "../../src/model/cache.js";
import { modelFromSource } from "../../src/pipeline/loadModel.js";
import { readSpecSource, specSource } from "../../src/spec/read.js";
import { REPO } from "../support/env.js";

const client = { kind: "client" } as PicofunConfig;
const api = { kind: "api" } as PicofunConfig;
const previous = process.env.PICOFUN_CACHE_DIR;
let cache: string;

beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), "picofun-model-cache-"));
  process.env.PICOFUN_CACHE_DIR = cache;
});
afterAll(() => {
  if (previous === undefined) delete process.env.PICOFUN_CACHE_DIR;
  else process.env.PICOFUN_CACHE_DIR = previous;
});

/** True when the spec's document was parsed (a model from the cache has none). */
function parsed(spec: { doc: unknown }): boolean {
  try {
    return !!spec.doc;
  } catch {
    return false;
  }
}

describe("the model cache", () => {
  const files = [
    join(REPO, "examples", "orders", "openapi.yaml"),
    join(REPO, "test", "fixtures", "swagger2", "petshop.yaml"),
    join(REPO, "test", "fixtures", "adversarial.yaml"),
    join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json"),
  ];

  it.each(files.map((f) => [f.slice(REPO.length + 1), f]))("a cached model equals the freshly built one: %s", async (_label, file) => {
    const fresh = await modelFromSource(await readSpecSource(file), client);
    expect(parsed(fresh.spec)).toBe(true);
    const again = await modelFromSource(await readSpecSource(file), client);
    expect(parsed(again.spec)).toBe(false);
    expect(again.model).toEqual(fresh.model);
    expect(again.spec.version).toBe(fresh.spec.version);
    expect(again.spec.warnings).toEqual(fresh.spec.warnings);
    expect(again.model.endpoints.length).toBeGreaterThan(0);
  });

  it("one changed byte, another location or the api kind: the document is parsed again", async () => {
    const file = join(REPO, "examples", "orders", "openapi.yaml");
    const source = await readSpecSource(file);
    await modelFromSource(source, client);
    const bytes = Buffer.from(source.bytes);
    bytes[bytes.indexOf("Orders")] = "o".charCodeAt(0);
    const changed = await modelFromSource(specSource(file, false, bytes), client);
    expect(parsed(changed.spec)).toBe(true);
    expect(changed.model.title).not.toBe((await modelFromSource(source, client)).model.title);
    expect(parsed((await modelFromSource(specSource(`${file}.copy`, false, source.bytes), client)).spec)).toBe(true);
    expect(parsed((await modelFromSource(await readSpecSource(file), api)).spec)).toBe(true);
    expect(parsed((await modelFromSource(await readSpecSource(file), api)).spec)).toBe(true);
  });

  it("a damaged entry is a miss and is written again", async () => {
    const file = join(REPO, "examples", "orders", "openapi.yaml");
    await modelFromSource(await readSpecSource(file), client);
    const [entry] = readdirSync(join(cache, "models"));
    writeFileSync(join(cache, "models", entry), '{"key": "truncated');
    const again = await modelFromSource(await readSpecSource(file), client);
    expect(parsed(again.spec)).toBe(true);
    expect((deserialize(readFileSync(join(cache, "models", entry))) as { model: { title: string } }).model.title).toBe(again.model.title);
  });

  it("keeps the 24 most recently used models", async () => {
    const source = await readSpecSource(join(REPO, "examples", "orders", "openapi.yaml"));
    const { model } = await modelFromSource(source, client);
    // With the entry just written, 23 more fill the cache without evicting anything.
    const keys = Array.from({ length: 23 }, (_, i) => modelCacheKey(specSource(`/spec-${i}.yaml`, false, source.bytes)));
    keys.forEach((key, i) => {
      writeCachedModel(key, { version: "3.0", warnings: [], model });
      const when = new Date(Date.now() - (100 - i) * 60_000);
      utimesSync(join(cache, "models", `${key}.v8`), when, when);
    });
    expect(readdirSync(join(cache, "models"))).toHaveLength(24);
    // Reading the oldest makes it the most recently used; two more entries evict the next two.
    expect(readCachedModel(keys[0])).toBeDefined();
    for (const name of ["/a.yaml", "/b.yaml"]) writeCachedModel(modelCacheKey(specSource(name, false, source.bytes)), { version: "3.0", warnings: [], model });
    const left = new Set(readdirSync(join(cache, "models")).map((n) => n.replace(/\.v8$/, "")));
    expect(left.size).toBe(24);
    expect(left.has(keys[0])).toBe(true);
    expect(left.has(keys[1])).toBe(false);
    expect(left.has(keys[2])).toBe(false);
    expect(left.has(keys[3])).toBe(true);
  });
});
