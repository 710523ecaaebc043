import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { startServeCli } from "../support/serve.js";
import { itWithNpmRegistry } from "../support/npmRegistry.js";
import { oneErrorLine } from "../support/oneErrorLine.js";
import { ordersProject } from "../support/typedOrders.js";
import { readZip } from "../support/zip.js";
import { REPO } from "../support/env.js";

const ORDERS_TYPESCRIPT = join(REPO, "examples", "orders", "typed", "typescript");

type Handler = (event: unknown) => Promise<{ statusCode: number; body: string }>;

const zipOf = (dir: string, fn: string) => readZip(readFileSync(join(dir, "output", "build", "lambdas", `${fn}.zip`)));
const bundleOf = (dir: string, fn: string) => zipOf(dir, fn).get("index.mjs")!;

/** "esbuild: N of M bundles built" (PICOFUN_TIMINGS=1). */
function built(stderr: string): number {
  const m = /esbuild: (\d+) of (\d+) bundles built/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return Number(m![1]);
}

const newCache = () => mkdtempSync(join(tmpdir(), "picofun-npm-cache-"));

describe("handlers/package.json installed by picofun for Lambda, bundles built only when their inputs change", () => {
  itWithNpmRegistry(
    "the dependency is installed and bundled without the user running npm install; the bundle names no machine path",
    async () => {
      const dir = ordersProject("typescript", ORDERS_TYPESCRIPT);
      const cache = newCache();
      const res = await runCli(["generate"], { cwd: dir, env: { PICOFUN_CACHE_DIR: cache }, timeoutMs: 180_000 });
      expect(res.code, res.stderr).toBe(0);
      expect(existsSync(join(dir, "handlers", "node_modules"))).toBe(false);
      // Installed for Lambda (linux, arm64 by default) into picofun's cache.
      const installs = readdirSync(join(cache, "npm")).filter((f) => !f.includes("."));
      expect(installs).toHaveLength(1);
      expect(existsSync(join(cache, "npm", installs[0], "node_modules", "nanoid", "package.json"))).toBe(true);
      const text = bundleOf(dir, "orders_createOrder").toString("utf8");
      const sources = [...text.matchAll(/^\/\/ (.+)$/gm)].map((m) => m[1]).filter((s) => !s.startsWith("output/"));
      expect(new Set(sources)).toEqual(new Set(["node_modules/nanoid/index.js", "handlers/lib/store.ts", "handlers/createOrder.ts"]));
      expect(text).not.toContain(cache);
      expect(text).not.toMatch(/\.\.\/[^"\n]*npm\//);
      // The bundle runs on its own, nanoid included.
      const at = mkdtempSync(join(tmpdir(), "picofun-bundle-"));
      writeFileSync(join(at, "index.mjs"), text);
      const handler = ((await import(pathToFileURL(join(at, "index.mjs")).href)) as { handler: Handler }).handler;
      const answer = await handler({ httpMethod: "POST", headers: { "x-request-id": "r", "content-type": "application/json" }, body: JSON.stringify({ customer: "ada", items: [{ sku: "s", quantity: 1 }] }) });
      expect(answer.statusCode, answer.body).toBe(201);
      expect(JSON.parse(answer.body).id).toMatch(/^o-[\w-]{10}$/);
      // Another project folder and another cache folder: the same bytes.
      const other = ordersProject("typescript", ORDERS_TYPESCRIPT);
      expect((await runCli(["generate"], { cwd: other, env: { PICOFUN_CACHE_DIR: newCache() }, timeoutMs: 180_000 })).code).toBe(0);
      for (const fn of ["orders_createOrder", "orders_getOrder", "orders_listOrders"]) expect(bundleOf(other, fn).equals(bundleOf(dir, fn)), fn).toBe(true);
    },
    400_000,
  );

  itWithNpmRegistry(
    "an unchanged re-run bundles nothing; a stub edit rebuilds that function only; a package.json change installs and rebuilds",
    async () => {
      const dir = ordersProject("typescript", ORDERS_TYPESCRIPT);
      const env = { PICOFUN_CACHE_DIR: newCache(), PICOFUN_TIMINGS: "1" };
      const gen = async () => {
        const res = await runCli(["generate"], { cwd: dir, env, timeoutMs: 180_000 });
        expect(res.code, res.stderr).toBe(0);
        return res;
      };
      expect(built((await gen()).stderr)).toBe(6);
      const zips = new Map(readdirSync(join(dir, "output", "build", "lambdas")).map((f) => [f, readFileSync(join(dir, "output", "build", "lambdas", f))]));
      // The run after the one that created the stubs does the work (nothing bundled), the next is skipped whole.
      const again = await gen();
      expect(built(again.stderr)).toBe(0);
      expect(again.stdout + again.stderr).toMatch(/ 0 written/);
      const skipped = await gen();
      expect(skipped.stderr).toMatch(/then: done \(nothing changed\)/);
      expect(skipped.stdout).toMatch(/ 0 written/);
      // A new test file and a new stub-like file nobody imports change no function's inputs.
      writeFileSync(join(dir, "handlers", "createOrder.test.ts"), "// a test\n");
      expect(built((await gen()).stderr)).toBe(0);
      const stub = join(dir, "handlers", "getOrder.ts");
      writeFileSync(stub, readFileSync(stub, "utf8").replace("no order", "no such order"));
      const edited = await gen();
      expect(built(edited.stderr)).toBe(1);
      expect(edited.stdout + edited.stderr).toMatch(/ 1 written/);
      expect(bundleOf(dir, "orders_getOrder").toString("utf8")).toContain("no such order");
      for (const [f, bytes] of zips) if (f !== "orders_getOrder.zip") expect(readFileSync(join(dir, "output", "build", "lambdas", f)).equals(bytes), f).toBe(true);
      const manifest = join(dir, "handlers", "package.json");
      writeFileSync(manifest, readFileSync(manifest, "utf8").replace('"private": true', '"private": true,\n  "description": "orders handlers"'));
      expect(built((await gen()).stderr)).toBe(6);
      expect(readdirSync(join(env.PICOFUN_CACHE_DIR, "npm")).filter((f) => f.endsWith(".done"))).toHaveLength(2);
      expect((await gen()).stderr).toMatch(/then: done \(nothing changed\)/);
    },
    600_000,
  );

  it("a skipped re-run never hides a deleted stub: the stubs come back, also when the run that created them is undone", async () => {
    const dir = ordersProject("typescript");
    const env = { PICOFUN_CACHE_DIR: newCache(), PICOFUN_TIMINGS: "1" };
    const gen = async () => {
      const res = await runCli(["generate"], { cwd: dir, env, timeoutMs: 180_000 });
      expect(res.code, res.stderr).toBe(0);
      return res;
    };
    await gen();
    // The folder as it was before the first run: that run recorded no input key, so this one is not skipped.
    rmSync(join(dir, "handlers"), { recursive: true });
    expect((await gen()).stderr).not.toMatch(/nothing changed/);
    expect(existsSync(join(dir, "handlers", "getOrder.ts"))).toBe(true);
    await gen();
    expect((await gen()).stderr).toMatch(/then: done \(nothing changed\)/);
    rmSync(join(dir, "handlers", "getOrder.ts"));
    const back = await gen();
    expect(back.stderr).not.toMatch(/nothing changed/);
    expect(back.stdout).toMatch(/handler stubs created \(1\): handlers\/getOrder\.ts/);
    expect(existsSync(join(dir, "handlers", "getOrder.ts"))).toBe(true);
    // Tool folders never packaged (a virtual environment, caches) are not inputs; a shared module is.
    await gen();
    mkdirSync(join(dir, "handlers", ".venv", "lib"), { recursive: true });
    writeFileSync(join(dir, "handlers", ".venv", "lib", "x.py"), "x = 1\n");
    expect((await gen()).stderr).toMatch(/then: done \(nothing changed\)/);
    mkdirSync(join(dir, "handlers", "lib"));
    writeFileSync(join(dir, "handlers", "lib", "util.ts"), "export const x = 1;\n");
    expect((await gen()).stderr).not.toMatch(/nothing changed/);
  }, 240_000);

  it("serve (which bundles an operation again only when its files changed) answers with the new code after each stub edit, edits of the same size included", async () => {
    const dir = ordersProject("typescript");
    expect((await runCli(["generate"], { cwd: dir })).code).toBe(0);
    const serve = await startServeCli(dir, ["--no-watch"], {}, 120_000);
    try {
      const get = async () => {
        const res = await fetch(`${serve.url}/orders/o-1`, { headers: { "X-Request-Id": "r" } });
        return { status: res.status, body: await res.text() };
      };
      expect((await get()).status).toBe(501);
      expect((await get()).status).toBe(501);
      const stub = join(dir, "handlers", "getOrder.ts");
      const text = readFileSync(stub, "utf8");
      for (const [i, code] of ["418", "429", "503"].entries()) {
        // The same number of bytes each time: only the modification time tells the edit.
        writeFileSync(stub, text.replace("return runtime.notImplemented(", `throw new runtime.HttpError(${code}, {});\n  return runtime.notImplemented(`));
        const answer = await get();
        expect(answer.status, `edit ${i}: ${answer.body}`).toBe(Number(code));
      }
    } finally {
      await serve.stop();
    }
  }, 240_000);

  it("a package.json with only devDependencies runs no npm; with dependencies and no npm on PATH, one error line", async () => {
    const dir = ordersProject("typescript");
    mkdirSync(join(dir, "handlers"));
    const manifest = join(dir, "handlers", "package.json");
    writeFileSync(manifest, JSON.stringify({ private: true, devDependencies: { vitest: "^3.0.0", esbuild: "^0.28.2" } }));
    const noNpm = { PICOFUN_CACHE_DIR: newCache(), PATH: mkdtempSync(join(tmpdir(), "picofun-no-npm-")) };
    const res = await runCli(["generate"], { cwd: dir, env: noNpm });
    expect(res.code, res.stderr).toBe(0);
    writeFileSync(manifest, JSON.stringify({ private: true, dependencies: { nanoid: "3.3.11" } }));
    const line = oneErrorLine(await runCli(["generate"], { cwd: dir, env: noNpm }));
    expect(line).toMatch(/^picofun: error: npm not found: it is needed to install .*package\.json for Lambda$/);
  }, 240_000);

  it("a native addon among the dependencies is refused with one line, nothing written", async () => {
    const dir = ordersProject("typescript");
    const pkg = join(dir, "native-dep");
    mkdirSync(join(pkg, "build", "Release"), { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "native-dep", version: "1.0.0", main: "index.js" }));
    writeFileSync(join(pkg, "index.js"), 'module.exports = require("./build/Release/addon.node");\n');
    writeFileSync(join(pkg, "build", "Release", "addon.node"), Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    mkdirSync(join(dir, "handlers"));
    writeFileSync(join(dir, "handlers", "package.json"), JSON.stringify({ private: true, dependencies: { "native-dep": "file:../native-dep" } }));
    const line = oneErrorLine(await runCli(["generate"], { cwd: dir, env: { PICOFUN_CACHE_DIR: newCache() }, timeoutMs: 180_000 }));
    expect(line).toMatch(/^picofun: error: .*package\.json: "native-dep\/build\/Release\/addon\.node" is a native addon, which esbuild cannot bundle/);
    expect(existsSync(join(dir, "output", "build"))).toBe(false);
  }, 240_000);
});
