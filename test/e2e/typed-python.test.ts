import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO, VENV } from "../support/env.js";
import { runCli } from "../support/cli.js";
import { runPython } from "../support/python.js";
import { startServeCli } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";
import { ordersProject, ordersToml } from "../support/typedOrders.js";
import { readZip } from "../support/zip.js";

const MYPY = join(VENV, "bin", "mypy");
const GLUE = ["picofun_api/__init__.py", "picofun_api/models.py", "picofun_api/ops/__init__.py", "picofun_api/runtime.py"];

function functions(dir: string): Record<string, { handler: string; zip: string }> {
  return JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.functions;
}

function zipNames(dir: string, fn: string): string[] {
  return [...readZip(readFileSync(join(dir, "output", "build", "lambdas", `${fn}.zip`))).keys()].sort();
}

describeWithTools("typed Python handlers ([api] language = \"python\")", ["python"], () => {
  let fresh: string;
  beforeAll(async () => {
    fresh = ordersProject("python");
    const res = await runCli(["generate"], { cwd: fresh });
    expect(res.code, res.stderr).toBe(0);
  }, 120_000);

  it("a fresh project: stubs with only handle(request), glue generated, mypy --strict passes, its pytest tests answer 501", async () => {
    const stub = readFileSync(join(fresh, "handlers", "getOrder.py"), "utf8");
    expect(stub).toMatch(/^def handle\(request: GetOrderRequest\) -> GetOrderResult:$/m);
    expect(stub).not.toMatch(/event|context/);
    expect(readFileSync(join(fresh, "output", "handlers_glue", "picofun_api", "ops", "op_getOrder.py"), "utf8")).toMatch(/GetOrderResult: TypeAlias = "models.Order \| runtime.Response"/);
    expect(functions(fresh).orders_getOrder.handler).toBe("picofun_api.ops.op_getOrder.handler");
    const mypy = await runPython([MYPY, "--strict", "--no-incremental", "output/handlers_glue/picofun_api", "handlers"], "", { MYPYPATH: join(fresh, "output", "handlers_glue") }, join(VENV, "bin", "python"), fresh);
    expect(mypy.code, mypy.stdout + mypy.stderr).toBe(0);
    const tests = await runPython(["-m", "pytest", "-q", "-p", "no:cacheprovider", "handlers"], "", { PYTHONDONTWRITEBYTECODE: "1" }, undefined, fresh);
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/6 passed/);
    expect(readFileSync(join(fresh, "output", "README.md"), "utf8")).toMatch(/python -m pytest handlers/);
  }, 240_000);

  it("the glue answers hostile events and hostile handler results with proxy responses (hypothesis)", async () => {
    const env = { GLUE_DIR: join(fresh, "output", "handlers_glue"), HANDLERS_DIR: join(fresh, "handlers"), PYTHONDONTWRITEBYTECODE: "1" };
    const res = await runPython(["-m", "pytest", "-q", "-p", "no:cacheprovider", join(REPO, "test", "python_typed")], "", env);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/\d+ passed/);
  }, 300_000);

  it("an old-style handler(event, context) stub keeps working, byte for byte untouched", async () => {
    const dir = ordersProject();
    expect((await runCli(["generate"], { cwd: dir })).code).toBe(0);
    const legacy = join(dir, "handlers", "getOrder.py");
    writeFileSync(legacy, readFileSync(legacy, "utf8").replace('"statusCode": 501', '"statusCode": 200'));
    const before = readFileSync(legacy);
    // The other stubs are deleted: they come back typed.
    for (const f of readdirSync(join(dir, "handlers")).filter((f) => f !== "getOrder.py")) rmSync(join(dir, "handlers", f));
    writeFileSync(join(dir, "picofun.toml"), ordersToml("python"));
    const res = await runCli(["generate"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(legacy).equals(before)).toBe(true);
    expect(existsSync(join(dir, "handlers", "test_getOrder.py"))).toBe(false);
    const fns = functions(dir);
    expect(fns.orders_getOrder.handler).toBe("getOrder.handler");
    expect(zipNames(dir, "orders_getOrder")).toEqual(["getOrder.py"]);
    expect(fns.orders_listOrders.handler).toBe("picofun_api.ops.op_listOrders.handler");
    const serve = await startServeCli(dir, ["--no-watch"]);
    try {
      const old = await fetch(`${serve.url}/orders/o-1`, { headers: { "X-Request-Id": "r" } });
      expect(old.status).toBe(200);
      expect(await old.json()).toMatchObject({ operation: "getOrder", received: { orderId: "o-1" } });
      const typed = await fetch(`${serve.url}/orders?limit=3`, { headers: { "X-Request-Id": "r" } });
      expect(typed.status).toBe(501);
      expect(await typed.json()).toMatchObject({ operation: "listOrders", received: { limit: 3, x_request_id: "r" } });
    } finally {
      await serve.stop();
    }
    expect(readFileSync(legacy).equals(before)).toBe(true);
  }, 240_000);

  it("zips hold exactly the stub, the glue, the shared code and the dependencies; only a dependency change rebuilds", async () => {
    const dir = ordersProject("python", join(REPO, "examples", "orders", "typed", "python"));
    const h = join(dir, "handlers");
    // Things that must stay out of the zips.
    mkdirSync(join(h, "__pycache__"));
    writeFileSync(join(h, "__pycache__", "getOrder.cpython-313.pyc"), "x");
    mkdirSync(join(h, ".pytest_cache"));
    writeFileSync(join(h, ".pytest_cache", "README.md"), "x");
    mkdirSync(join(h, "tests"));
    writeFileSync(join(h, "tests", "test_more.py"), "x");
    writeFileSync(join(h, "lib", "store_test.py"), "x");
    const first = await runCli(["generate"], { cwd: dir, timeoutMs: 400_000 });
    expect(first.code, first.stderr).toBe(0);
    const names = zipNames(dir, "orders_getOrder");
    const deps = names.filter((n) => /^shortuuid/.test(n) || n === "COPYING");
    expect(deps).toContain("shortuuid/__init__.py");
    expect(names.filter((n) => !deps.includes(n))).toEqual(["getOrder.py", "lib/__init__.py", "lib/store.py", ...GLUE.slice(0, 3), "picofun_api/ops/op_getOrder.py", "picofun_api/runtime.py"].sort());
    const zips = () => readdirSync(join(dir, "output", "build", "lambdas")).map((f) => readFileSync(join(dir, "output", "build", "lambdas", f)).toString("base64"));
    const before = zips();
    writeFileSync(join(h, "test_getOrder.py"), "# edited test\n");
    writeFileSync(join(h, "tests", "test_more.py"), "y");
    const again = await runCli(["generate"], { cwd: dir, timeoutMs: 400_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(zips()).toEqual(before);
    expect(again.stdout + again.stderr).toMatch(/0 written/);
    writeFileSync(join(h, "requirements.txt"), "shortuuid==1.0.12\n");
    const bumped = await runCli(["generate"], { cwd: dir, timeoutMs: 400_000 });
    expect(bumped.code, bumped.stderr).toBe(0);
    const after = zips();
    expect(after.every((z, i) => z !== before[i])).toBe(true);
    expect(zipNames(dir, "orders_getOrder")).toContain("shortuuid-1.0.12.dist-info/METADATA");
  }, 900_000);

  it("serve reloads an edited shared module", async () => {
    const dir = ordersProject("python", join(REPO, "examples", "orders", "typed", "python"));
    const serve = await startServeCli(dir, ["--no-watch"], {}, 400_000);
    try {
      const created = await fetch(`${serve.url}/orders`, { method: "POST", headers: { "X-Request-Id": "r", "Content-Type": "application/json" }, body: JSON.stringify({ customer: "ada", items: [{ sku: "s", quantity: 1 }] }) });
      expect(created.status, await created.clone().text()).toBe(201);
      expect((await created.json()).id).toMatch(/^o-/);
      const store = join(dir, "handlers", "lib", "store.py");
      writeFileSync(store, readFileSync(store, "utf8").replace('"o-" + ', '"order-" + '));
      const again = await fetch(`${serve.url}/orders`, { method: "POST", headers: { "X-Request-Id": "r", "Content-Type": "application/json" }, body: JSON.stringify({ customer: "ada", items: [{ sku: "s", quantity: 1 }] }) });
      expect(again.status).toBe(201);
      expect((await again.json()).id).toMatch(/^order-/);
    } finally {
      await serve.stop();
    }
  }, 600_000);
});

describe("[api] language is checked against the runtime", () => {
  it.each([
    ["python", "nodejs22.x", /\[api\] language = "python" needs a Python runtime/],
    ["typescript", "python3.13", /\[api\] language = "typescript" needs a Node\.js runtime/],
    ["java", "python3.13", /language/],
  ])("language = %s with runtime %s: one error line", async (language, runtime, message) => {
    const dir = ordersProject();
    writeFileSync(join(dir, "picofun.toml"), ordersToml(language, runtime));
    const res = await runCli(["generate"], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toMatch(/^picofun: error: /);
    expect(res.stderr).toMatch(message);
    expect(existsSync(join(dir, "handlers"))).toBe(false);
  });
});
