import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/env.js";

// The compiled loader, run in child processes: the cache is written when a process exits.
const LOADER = pathToFileURL(join(REPO, "dist", "src", "boot", "codeCache.js")).href;

/** A package-like tree: <root>/dist/bundle/prog.cjs, whose cache goes to <root>/.cache/v8. */
function program(): { root: string; file: string } {
  const root = mkdtempSync(join(tmpdir(), "picofun-code-cache-"));
  mkdirSync(join(root, "dist", "bundle"), { recursive: true });
  const file = join(root, "dist", "bundle", "prog.cjs");
  const body = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`).join("\n");
  writeFileSync(file, `${body}\nexports.answer = () => f2(20) + require("node:path").sep.length;\n`);
  return { root, file };
}

/** Loads the program in a new process; prints what it computed and how the cache was used. */
function load(file: string, env: Record<string, string> = {}): { answer: number; cache: string } {
  const script = `const { loadWithCodeCache } = await import(${JSON.stringify(LOADER)});
const { exports, cache } = loadWithCodeCache(${JSON.stringify(file)}, ["node", "x", "generate"]);
console.log(JSON.stringify({ answer: exports.answer(), cache }));`;
  const res = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, ...env } });
  expect(res.status, res.stderr).toBe(0);
  expect(res.stderr).toBe("");
  return JSON.parse(res.stdout) as { answer: number; cache: string };
}

describe("loading the bundle through V8's code cache", () => {
  it("runs the module (with require), writes the cache on the first run and uses it after", () => {
    const { root, file } = program();
    expect(load(file)).toEqual({ answer: 43, cache: "missing" });
    expect(readdirSync(join(root, ".cache", "v8")).filter((n) => n.endsWith(".bin"))).toHaveLength(1);
    expect(load(file)).toEqual({ answer: 43, cache: "used" });
  });

  it("ignores data that does not fit (damaged, or another source) and writes it again", () => {
    const { root, file } = program();
    load(file);
    const [entry] = readdirSync(join(root, ".cache", "v8"));
    writeFileSync(join(root, ".cache", "v8", entry), Buffer.alloc(4096, 7));
    expect(load(file).cache).toBe("rejected");
    expect(load(file).cache).toBe("used");
  });

  it("uses the user's cache folder when the package folder cannot be written", () => {
    const { root, file } = program();
    // A file where the package's .cache folder would go: no one (root included) can create it.
    writeFileSync(join(root, ".cache"), "not a folder\n");
    const cacheDir = mkdtempSync(join(tmpdir(), "picofun-user-cache-"));
    expect(load(file, { PICOFUN_CACHE_DIR: cacheDir }).cache).toBe("missing");
    expect(readdirSync(join(cacheDir, "v8"))).toHaveLength(1);
    expect(load(file, { PICOFUN_CACHE_DIR: cacheDir }).cache).toBe("used");
  });
});
