/**
 * issue 28: `picofun invoke` and the worker protocol never hang. Every call ends (result or error)
 * whatever the function returns or writes: NaN from the called API, garbage on the protocol, a
 * worker that dies; query and header names such as __proto__ are plain names.
 */
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { hostileProject } from "../support/hostileProject.js";
import { describeWithTools } from "../support/skip.js";

const ORDERS = join(REPO, "examples", "orders");
const PYTHON = { PICOFUN_PYTHON: join(REPO, ".cache", "venv", "bin", "python") };
/** Well under runCli's own limit: a hang shows as this timeout, not as a passing test. */
const BOUND = { timeoutMs: 45_000, env: PYTHON };

describeWithTools("picofun invoke never hangs on what a function returns (issue 28, medium 4)", ["python"], () => {
  let api: Server;
  let apiUrl: string;
  beforeAll(async () => {
    // An API whose JSON has NaN and Infinity in it (Python's json module writes them).
    api = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"id": "o-1", "total": NaN, "limit": Infinity, "items": []}');
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", () => r()));
    apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  });
  afterAll(() => api?.close());

  it("a client function whose API answers NaN JSON ends with an error (exit 1), not a hang", async () => {
    const dir = tempProject(ORDERS);
    // invoke runs the output as generated (it never generates): generate against the NaN API first.
    const gen = await runCli(["generate", "--server-url", apiUrl], { ...BOUND, cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    const event = { path: { orderId: "o-1" }, headers: { "X-Request-Id": "r-1" } };
    const res = await runCli(["invoke", "getOrder", "--event", JSON.stringify(event), "--timeout", "10"], { ...BOUND, cwd: dir });
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(/MarshalError|NaN|Infinity|not JSON/);
  }, 60_000);

  it("an api handler returning NaN ends with Runtime.MarshalError", async () => {
    const dir = hostileProject();
    const res = await runCli(["invoke", "result", "--method", "POST", "--path", "/result", "--body", '{"result": {"statusCode": 200, "body": "x", "headers": {"X": NaN}}}'], { ...BOUND, cwd: dir });
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toMatch(/^Runtime\.MarshalError: Unable to marshal response: Out of range float values/m);
  }, 60_000);

  it("a handler that writes garbage on the worker protocol, or kills its worker, ends with Runtime.ExitError", async () => {
    const dir = hostileProject();
    const garbage = await runCli(["invoke", "result", "--method", "POST", "--path", "/result", "--body", '{"fd3": "not an answer", "result": {"statusCode": 200}}'], { ...BOUND, cwd: dir });
    expect(garbage.code, garbage.stderr).toBe(1);
    expect(garbage.stderr).toMatch(/Runtime\.ExitError: the python worker wrote a line that is not JSON/);
    const exits = await runCli(["invoke", "result", "--method", "POST", "--path", "/result", "--body", '{"exit": true}'], { ...BOUND, cwd: dir });
    expect(exits.code, exits.stderr).toBe(1);
    expect(exits.stderr).toMatch(/Runtime\.ExitError: the python worker exited \(code 3\)/);
  }, 90_000);

  it("a handler that swallows its timeout is stopped at it (Sandbox.Timedout)", async () => {
    const dir = hostileProject();
    const res = await runCli(["invoke", "slow", "--path", "/slow", "--query", "mode=bare"], { ...BOUND, cwd: dir });
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toMatch(/Sandbox\.Timedout: Task timed out after 2\.00 seconds/);
  }, 60_000);

  it("low: --query and --header names toString, constructor and __proto__ reach the handler", async () => {
    const dir = hostileProject();
    const res = await runCli(["invoke", "echo", "--path", "/echo", "--query", "toString=1", "--query", "__proto__=2", "--query", "constructor=3", "--header", "__proto__: h", "--header", "toString: t"], { ...BOUND, cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const body = JSON.parse(res.stdout).body as string;
    const seen = JSON.parse(body, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.entries(v) : v)) as Array<[string, unknown]>;
    expect(seen.find(([k]) => k === "query")![1]).toEqual([["toString", "1"], ["__proto__", "2"], ["constructor", "3"]]);
    expect(seen.find(([k]) => k === "headers")![1]).toEqual(["__proto__", "toString"]);
  }, 60_000);
});
