import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../support/env.js";
import { runCli } from "../support/cli.js";
import { startServeCli } from "../support/serve.js";
import { ordersProject, ordersToml } from "../support/typedOrders.js";
import { readZip } from "../support/zip.js";
import { writeTypedTypescript } from "../support/typedProject.js";
import { itWithNpmRegistry } from "../support/npmRegistry.js";

const TSC = join(REPO, "node_modules", ".bin", "tsc");
export const ORDERS_TYPESCRIPT = join(REPO, "examples", "orders", "typed", "typescript");
const GITHUB = join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");

type Proxy = { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded?: boolean };
type Handler = (event: unknown) => Promise<Proxy>;

function functions(dir: string): Record<string, { handler: string; zip: string }> {
  return JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.functions;
}

function zip(dir: string, fn: string): Map<string, Buffer> {
  return readZip(readFileSync(join(dir, "output", "build", "lambdas", `${fn}.zip`)));
}

/** The zip's index.mjs, imported as Lambda would (from a folder of its own). */
async function bundled(dir: string, fn: string): Promise<Handler> {
  const at = mkdtempSync(join(tmpdir(), "picofun-bundle-"));
  writeFileSync(join(at, "index.mjs"), zip(dir, fn).get("index.mjs")!);
  return ((await import(pathToFileURL(join(at, "index.mjs")).href)) as { handler: Handler }).handler;
}

function checkProxy(answer: Proxy): void {
  expect(Number.isInteger(answer.statusCode) && answer.statusCode >= 100 && answer.statusCode <= 599).toBe(true);
  expect(typeof answer.body).toBe("string");
  for (const v of Object.values(answer.headers)) expect(typeof v).toBe("string");
}

describe('typed TypeScript handlers ([api] language = "typescript")', () => {
  let fresh: string;
  beforeAll(async () => {
    fresh = ordersProject("typescript");
    const res = await runCli(["generate"], { cwd: fresh });
    expect(res.code, res.stderr).toBe(0);
  }, 120_000);

  it("a fresh project: .ts stubs with only handle(request), tsc --strict passes, each zip is one bundled index.mjs; a re-run changes nothing", async () => {
    const stub = readFileSync(join(fresh, "handlers", "getOrder.ts"), "utf8");
    expect(stub).toMatch(/^export async function handle\(request: GetOrderRequest\): Promise<GetOrderResult> \{$/m);
    execFileSync(TSC, ["-p", join(fresh, "handlers")], { stdio: "pipe" });
    expect(functions(fresh).orders_getOrder.handler).toBe("index.handler");
    expect([...zip(fresh, "orders_getOrder").keys()]).toEqual(["index.mjs"]);
    const handler = await bundled(fresh, "orders_getOrder");
    const answer = await handler({ pathParameters: { orderId: "o-1" }, headers: { "x-request-id": "r" } });
    expect(answer.statusCode).toBe(501);
    expect(JSON.parse(answer.body)).toEqual({ operation: "getOrder", received: { orderId: "o-1", xRequestId: "r" } });
    const again = await runCli(["generate"], { cwd: fresh });
    expect(again.stdout + again.stderr).toMatch(/ 0 written/);
    expect(readFileSync(join(fresh, "output", "README.md"), "utf8")).toMatch(/npx vitest run handlers/);
  }, 120_000);

  it("the vitest test beside each stub calls it with its example event and sees the 501", () => {
    mkdirSync(join(fresh, "node_modules"), { recursive: true });
    symlinkSync(join(REPO, "node_modules", "vitest"), join(fresh, "node_modules", "vitest"));
    const out = execFileSync(join(REPO, "node_modules", ".bin", "vitest"), ["run", "--root", fresh, "handlers"], { cwd: fresh, stdio: "pipe", encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(out).toMatch(/Tests\s+6 passed/);
  }, 120_000);

  it("the bundled glue answers hostile events with a proxy response, 400 for what does not fit (fast-check)", async () => {
    const handlers = await Promise.all(["orders_listOrders", "orders_createOrder", "orders_getOrder", "orders_putLineItem"].map((f) => bundled(fresh, f)));
    const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("1e309", "NaN", "-0", "99999999999999999999", "true", "", " 5 ", "!!", "e30=", '{"a":1}'));
    const table = fc.oneof(fc.constant(null), fc.jsonValue(), fc.dictionary(fc.constantFrom("orderId", "item-id", "limit", "status", "X-Request-Id", "__proto__", "constructor"), fc.oneof(text, fc.jsonValue())));
    const event = fc.oneof(fc.jsonValue(), fc.record({ pathParameters: table, queryStringParameters: table, multiValueQueryStringParameters: table, headers: table, body: fc.oneof(fc.constant(null), text, fc.jsonValue()), isBase64Encoded: fc.oneof(fc.boolean(), fc.jsonValue()) }, { requiredKeys: [] }));
    await fc.assert(
      fc.asyncProperty(fc.nat(handlers.length - 1), event, async (i, e) => {
        const answer = await handlers[i](e);
        checkProxy(answer);
        expect([400, 501]).toContain(answer.statusCode);
      }),
      { numRuns: 400 },
    );
  }, 120_000);

  it("hostile handler results and throws become 500/502 answers, never a crash (fast-check)", async () => {
    const dir = ordersProject("typescript");
    mkdirSync(join(dir, "handlers"));
    writeFileSync(join(dir, "handlers", "getOrder.ts"), 'export async function handle(): Promise<unknown> {\n  return (globalThis as unknown as { picofunHostile: () => unknown }).picofunHostile();\n}\n');
    expect((await runCli(["generate"], { cwd: dir })).code).toBe(0);
    const handler = await bundled(dir, "orders_getOrder");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const hostile = fc.oneof(
      fc.constantFrom<unknown>(cyclic, 10n, Symbol("s"), () => 1),
      fc.record({ status: fc.oneof(fc.integer(), fc.string(), fc.constant(null)) }).map((r) => ({ toJSON: () => { throw new Error(String(r.status)); } })),
    );
    const g = globalThis as unknown as { picofunHostile: () => unknown };
    await fc.assert(
      fc.asyncProperty(hostile, fc.boolean(), async (value, raise) => {
        g.picofunHostile = () => {
          if (raise) throw value;
          return value;
        };
        const answer = await handler({ pathParameters: { orderId: "o" }, headers: { "x-request-id": "r" } });
        checkProxy(answer);
        expect([500, 502]).toContain(answer.statusCode);
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it("an old .mjs stub keeps its function, byte for byte untouched", async () => {
    const dir = ordersProject();
    writeFileSync(join(dir, "picofun.toml"), ordersToml(undefined, "nodejs22.x"));
    expect((await runCli(["generate"], { cwd: dir })).code).toBe(0);
    const legacy = join(dir, "handlers", "getOrder.mjs");
    const before = readFileSync(legacy);
    for (const f of readdirSync(join(dir, "handlers")).filter((f) => f !== "getOrder.mjs")) rmSync(join(dir, "handlers", f));
    writeFileSync(join(dir, "picofun.toml"), ordersToml("typescript", "nodejs22.x"));
    const res = await runCli(["generate"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(legacy).equals(before)).toBe(true);
    expect(functions(dir).orders_getOrder.handler).toBe("getOrder.handler");
    expect([...zip(dir, "orders_getOrder").keys()]).toEqual(["getOrder.mjs"]);
    expect(functions(dir).orders_listOrders.handler).toBe("index.handler");
    const serve = await startServeCli(dir, ["--no-watch"]);
    try {
      const old = await fetch(`${serve.url}/orders/o-1`, { headers: { "X-Request-Id": "r" } });
      expect(old.status).toBe(501);
      expect(await old.json()).toMatchObject({ operation: "getOrder", received: { orderId: "o-1" } });
      const typed = await fetch(`${serve.url}/orders?limit=3`, { headers: { "X-Request-Id": "r" } });
      expect(await typed.json()).toEqual({ operation: "listOrders", received: { limit: 3, xRequestId: "r" } });
    } finally {
      await serve.stop();
    }
    expect(readFileSync(legacy).equals(before)).toBe(true);
  }, 240_000);

  // The dependency of handlers/package.json: picofun installs it for Lambda (npm registry).
  itWithNpmRegistry("serve runs the .ts handlers directly and reloads an edited shared module", async () => {
    const dir = ordersProject("typescript", ORDERS_TYPESCRIPT);
    const serve = await startServeCli(dir, ["--no-watch"], {}, 120_000);
    try {
      const post = () => fetch(`${serve.url}/orders`, { method: "POST", headers: { "X-Request-Id": "r", "Content-Type": "application/json" }, body: JSON.stringify({ customer: "ada", items: [{ sku: "s", quantity: 1 }] }) });
      const created = await post();
      expect(created.status, await created.clone().text()).toBe(201);
      expect((await created.json()).id).toMatch(/^o-/);
      const store = join(dir, "handlers", "lib", "store.ts");
      writeFileSync(store, readFileSync(store, "utf8").replace('"o-" + ', '"order-" + '));
      const again = await post();
      expect(again.status).toBe(201);
      expect((await again.json()).id).toMatch(/^order-/);
    } finally {
      await serve.stop();
    }
  }, 240_000);

  itWithNpmRegistry("zips: the stub, the shared module and the dependency bundled, tests and caches left out; only a change to the code rebuilds", async () => {
    const dir = ordersProject("typescript", ORDERS_TYPESCRIPT);
    // The user's own npm install in handlers/ (for tsc and vitest) is not what is bundled: picofun's install for Lambda is.
    mkdirSync(join(dir, "handlers", "node_modules"));
    cpSync(join(REPO, "node_modules", "nanoid"), join(dir, "handlers", "node_modules", "nanoid"), { recursive: true, dereference: true });
    expect((await runCli(["generate"], { cwd: dir, timeoutMs: 180_000 })).code).toBe(0);
    const text = zip(dir, "orders_createOrder").get("index.mjs")!.toString("utf8");
    const sources = [...text.matchAll(/^\/\/ (.+)$/gm)].map((m) => m[1]).filter((s) => !s.startsWith("output/"));
    expect(new Set(sources)).toEqual(new Set(["node_modules/nanoid/index.js", "handlers/lib/store.ts", "handlers/createOrder.ts"]));
    writeFileSync(join(dir, "handlers", "createOrder.test.ts"), "// a test\n");
    const same = await runCli(["generate"], { cwd: dir });
    expect(same.stdout + same.stderr).toMatch(/ 0 written/);
    const store = join(dir, "handlers", "lib", "store.ts");
    writeFileSync(store, readFileSync(store, "utf8").replace('"o-" + ', '"order-" + '));
    const before = zip(dir, "orders_getOrder").get("index.mjs")!;
    const changed = await runCli(["generate"], { cwd: dir });
    // Only createOrder bundles add(), the code that changed (esbuild leaves out what a function does not use).
    expect(changed.stdout + changed.stderr).toMatch(/ 1 written/);
    expect(zip(dir, "orders_createOrder").get("index.mjs")!.toString("utf8")).toMatch(/"order-" \+/);
    expect(zip(dir, "orders_getOrder").get("index.mjs")!.equals(before)).toBe(true);
  }, 240_000);

  it("glue, models and stubs of all GitHub operations pass tsc --strict", () => {
    const dir = mkdtempSync(join(tmpdir(), "picofun-typed-github-ts-"));
    const { operations } = writeTypedTypescript(JSON.parse(readFileSync(GITHUB, "utf8")) as Record<string, unknown>, dir);
    expect(operations).toBeGreaterThan(1000);
    execFileSync(TSC, ["-p", join(dir, "handlers")], { stdio: "pipe", timeout: 600_000 });
  }, 900_000);
});
