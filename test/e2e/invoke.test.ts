import { appendFileSync, copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { startPrism, type PrismServer } from "../support/prism.js";
import { describeWithTools } from "../support/skip.js";
import { treeHashes } from "../support/tree.js";
import { oneErrorLine } from "../support/oneErrorLine.js";

const ORDERS = join(REPO, "examples", "orders");

describeWithTools("picofun invoke: a client function run locally against Prism mocking the spec", ["python", "prism"], () => {
  let prism: PrismServer;
  let dir: string;
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    prism = await startPrism(join(ORDERS, "openapi.yaml"));
    dir = tempProject(ORDERS);
    // invoke runs what was generated; it never generates.
    const gen = await runCli(["generate"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    // A server that accepts connections and never answers.
    silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
  }, 120_000);
  afterAll(async () => {
    await prism?.stop();
    silent?.close();
  });

  it("prints the result JSON of a valid call (Prism validated the request)", async () => {
    const event = { path: { orderId: "o-42" }, headers: { "X-Request-Id": "r-1" } };
    const res = await runCli(["invoke", "getOrder", "--event", JSON.stringify(event), "--server-url", prism.url], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const result = JSON.parse(res.stdout);
    expect(result.statusCode).toBe(200);
    expect(typeof result.body).toBe("object");
    expect(result.body).toHaveProperty("id");
    expect(prism.log()).toMatch(/orders\/o-42/);
  });

  it("reads the event from a file and from stdin", async () => {
    const event = JSON.stringify({ query: { status: ["open"] }, headers: { "X-Request-Id": "r-2" } });
    writeFileSync(join(dir, "ev.json"), event);
    const fromFile = await runCli(["invoke", "GET /orders", "--event-file", "ev.json", "--server-url", prism.url], { cwd: dir });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout).statusCode).toBe(200);
    const fromStdin = await runCli(["invoke", "listOrders", "-", "--server-url", prism.url], { cwd: dir, input: event });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(JSON.parse(fromStdin.stdout).statusCode).toBe(200);
  });

  it("prints the error type and message on stderr and exits 1", async () => {
    const missing = await runCli(["invoke", "getOrder", "--event", "{}", "--server-url", prism.url], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(/^MissingParameterError: .*orderId|^MissingParameterError: .*X-Request-Id/);
    const event = { path: { orderId: "o-1" }, headers: { "X-Request-Id": "r-3", Prefer: "code=404" } };
    const notFound = await runCli(["invoke", "getOrder", "--event", JSON.stringify(event), "--server-url", prism.url], { cwd: dir });
    expect(notFound.code).toBe(1);
    expect(notFound.stderr).toMatch(/^Http404Error: /);
  });

  it("gives the function a deadline (--timeout): a server that never answers ends in a timeout error", async () => {
    const event = { path: { orderId: "o-1" }, headers: { "X-Request-Id": "r-4" } };
    const started = Date.now();
    const res = await runCli(["invoke", "getOrder", "--event", JSON.stringify(event), "--server-url", silentUrl, "--timeout", "3"], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Timeout|Timedout/i);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("picofun events writes example events that invoke runs as they are, and keeps existing ones", async () => {
    const first = await runCli(["events", "getOrder", "listOrders"], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/wrote events\/get_orders_orderId\.json/);
    const event = JSON.parse(readFileSync(join(dir, "events", "get_orders_orderId.json"), "utf8"));
    expect(Object.keys(event.path)).toEqual(["orderId"]);
    expect(event.headers).toHaveProperty("X-Request-Id");
    const res = await runCli(["invoke", "getOrder", "--event-file", "events/get_orders_orderId.json", "--server-url", prism.url], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).statusCode).toBe(200);
    writeFileSync(join(dir, "events", "get_orders_orderId.json"), "{}");
    const again = await runCli(["events", "getOrder"], { cwd: dir });
    expect(again.stdout).toMatch(/kept events\/get_orders_orderId\.json/);
    expect(readFileSync(join(dir, "events", "get_orders_orderId.json"), "utf8")).toBe("{}");
  });

  it("refuses a bad event and an unknown function with one error line", async () => {
    const bad = await runCli(["invoke", "getOrder", "--event", "{nope"], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^picofun: error: --event is not JSON/);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    const unknown = await runCli(["invoke", "nothingLikeThis"], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^picofun: error: no endpoint of the spec matches/);
  });
});

describeWithTools("picofun invoke never changes what was generated", ["python", "prism"], () => {
  let prism: PrismServer;
  beforeAll(async () => {
    prism = await startPrism(join(ORDERS, "openapi.yaml"));
  }, 120_000);
  afterAll(async () => {
    await prism?.stop();
  });

  it("after generate --server-url <mock>: every generated file stays byte for byte, and the call goes to the mock", async () => {
    const dir = tempProject(ORDERS);
    const gen = await runCli(["generate", "--server-url", prism.url], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    const before = treeHashes(join(dir, "output"));
    const event = { path: { orderId: "o-77" }, headers: { "X-Request-Id": "r-77" } };
    const res = await runCli(["invoke", "getOrder", "--event", JSON.stringify(event)], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).statusCode).toBe(200);
    expect(prism.log()).toMatch(/orders\/o-77/);
    expect(treeHashes(join(dir, "output"))).toEqual(before);
  });

  it("when the spec or picofun.toml changed since, or nothing was generated: one line that says so and what to run, nothing written", async () => {
    const dir = tempProject(ORDERS);
    expect(oneErrorLine(await runCli(["invoke", "getOrder", "--event", "{}"], { cwd: dir }))).toBe('picofun: error: nothing is generated in output yet: run "picofun generate" first');
    const gen = await runCli(["generate", "--server-url", prism.url], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    const before = treeHashes(join(dir, "output"));
    appendFileSync(join(dir, "openapi.yaml"), "\n# edited\n");
    const stale = oneErrorLine(await runCli(["invoke", "getOrder", "--event", "{}"], { cwd: dir }));
    expect(stale).toBe(`picofun: error: the spec changed since output was generated: run "picofun generate --server-url ${prism.url}" first (invoke runs the output as generated and never rewrites it)`);
    expect(treeHashes(join(dir, "output"))).toEqual(before);
    const regen = await runCli(["generate", "--server-url", prism.url], { cwd: dir });
    expect(regen.code, regen.stderr).toBe(0);
    writeFileSync(join(dir, "picofun.toml"), `memory_size = 256\n${readFileSync(join(ORDERS, "picofun.toml"), "utf8")}`);
    expect(oneErrorLine(await runCli(["invoke", "getOrder", "--event", "{}"], { cwd: dir }))).toMatch(/^picofun: error: picofun\.toml, an option or a file it names changed since output was generated: run "picofun generate --server-url /);
    rmSync(join(dir, "output", "lambdas", "get_orders_orderId.py"));
    writeFileSync(join(dir, "picofun.toml"), readFileSync(join(ORDERS, "picofun.toml")));
    expect(oneErrorLine(await runCli(["invoke", "getOrder", "--event", "{}"], { cwd: dir }))).toMatch(/^picofun: error: output\/lambdas\/get_orders_orderId\.py is missing: run "picofun generate"/);
  });
});

describeWithTools("picofun invoke: an api-kind handler with a proxy event", ["python"], () => {
  it("builds the proxy event from --method/--path/--query/--header/--body", async () => {
    const dir = tempProject();
    copyFileSync(join(REPO, "test", "fixtures", "api", "petstore.yaml"), join(dir, "petstore.yaml"));
    writeFileSync(join(dir, "picofun.toml"), 'namespace = "pets"\nspec = "petstore.yaml"\nkind = "api"\n');
    const gen = await runCli([], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    const res = await runCli(["invoke", "showPetById", "--path", "/pets/p-9"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const result = JSON.parse(res.stdout);
    expect(result.statusCode).toBe(501);
    expect(JSON.parse(result.body)).toEqual({ operation: "showPetById", received: { petId: "p-9" } });
    const list = await runCli(["invoke", "--method", "GET", "--path", "/pets", "--query", "limit=5", "--header", "X-Request-Id: abc"], { cwd: dir });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(JSON.parse(list.stdout).body).received).toMatchObject({ limit: "5", "X-Request-Id": "abc" });
    const events = await runCli(["events"], { cwd: dir });
    expect(events.code, events.stderr).toBe(0);
    const proxy = JSON.parse(readFileSync(join(dir, "events", "showPetById.json"), "utf8"));
    expect(proxy).toMatchObject({ resource: "/pets/{petId}", httpMethod: "GET", pathParameters: { petId: "petId-1" }, requestContext: { stage: "v1" } });
    const fromFile = await runCli(["invoke", "showPetById", "--event-file", "events/showPetById.json"], { cwd: dir });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(JSON.parse(fromFile.stdout).body).received).toEqual({ petId: "petId-1" });
  });
});
