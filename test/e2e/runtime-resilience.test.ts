import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { invokeHandler, runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";

const spec = (url: string) =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title: "Flaky", version: "1" },
    servers: [{ url }],
    paths: {
      "/items": {
        get: { operationId: "listItems", responses: { "200": { description: "ok" } } },
        post: {
          operationId: "addItem",
          requestBody: { content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
          responses: { "200": { description: "ok" } },
        },
      },
      "/items/{id}": {
        get: {
          operationId: "getItem",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "ok" } },
        },
      },
    },
  });

/** Every GET /items answers 503; POST echoes the body's length; the rest is a 404 with a JSON body. */
function flakyServer(): { server: Server; seen: string[] } {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push(`${req.method} ${req.url}`);
      const body = Buffer.concat(chunks);
      if (req.method === "GET" && req.url === "/api/items") {
        res.writeHead(503, { "content-type": "application/json", "x-request-id": "r-1" });
        res.end('{"error":"busy"}');
      } else if (req.method === "POST") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ length: body.length, first: body[0], last: body[body.length - 1], type: req.headers["content-type"] }));
      } else {
        res.writeHead(404, { "content-type": "application/json" });
        res.end('{"message":"no such item"}');
      }
    });
  });
  return { server, seen };
}

/** The PICORUN_* settings Terraform passes to every function, read from the generated lambda.tf. */
function terraformRuntimeEnv(out: string): Record<string, string> {
  const tf = readFileSync(join(out, "lambda.tf"), "utf8");
  return Object.fromEntries([...tf.matchAll(/(PICORUN_[A-Z_]+) = "([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

describeWithTools("client runtime: retry settings, JSON errors, typing", ["python"], () => {
  const { server, seen } = flakyServer();
  const dir = tempProject();
  const out = join(dir, "output");

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    writeFileSync(join(dir, "flaky.json"), spec(`http://127.0.0.1:${port}/api`));
    writeFileSync(
      join(dir, "picofun.toml"),
      'namespace = "flaky"\nspec = "flaky.json"\nmax_response_bytes = 100000\n\n[retry]\nmax_attempts = 2\nbase = 0.01\ncap = 0.02\n\n[pagination]\nmax_pages = 4\n',
    );
    const res = await runCli(["generate"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
  }, 60_000);
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("Terraform passes [retry], [pagination] and max_response_bytes as environment variables", () => {
    expect(terraformRuntimeEnv(out)).toEqual({
      PICORUN_RETRY_MAX_ATTEMPTS: "2",
      PICORUN_RETRY_STATUSES: "408,429,500,502,503,504",
      PICORUN_RETRY_METHODS: "GET,HEAD,OPTIONS,PUT,DELETE",
      PICORUN_RETRY_BASE: "0.01",
      PICORUN_RETRY_CAP: "0.02",
      PICORUN_MAX_RESPONSE_BYTES: "100000",
      PICORUN_PAGINATION_MAX_PAGES: "4",
    });
  });

  it("a generated handler retries as configured and raises Http503Error with a JSON message", async () => {
    seen.length = 0;
    const r = await invokeHandler(out, "get_items", {}, terraformRuntimeEnv(out));
    expect(r.error_type).toBe("Http503Error");
    expect(seen).toEqual(["GET /api/items", "GET /api/items"]);
    const message = JSON.parse(r.message!);
    expect(message).toMatchObject({ status: 503, method: "GET", path: "/items", body: { error: "busy" } });
    expect(message.headers).toEqual({ "content-type": "application/json", "x-request-id": "r-1" });
    seen.length = 0;
    const once = await invokeHandler(out, "get_items", { retry: false }, terraformRuntimeEnv(out));
    expect(once.error_type).toBe("Http503Error");
    expect(seen).toEqual(["GET /api/items"]);
  });

  it("sends payload_base64 as binary and refuses an empty path parameter", async () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    const r = await invokeHandler(out, "post_items", { payload_base64: bytes.toString("base64") });
    expect(r.result?.body).toEqual({ length: 4, first: 0, last: 255, type: "application/octet-stream" });
    const empty = await invokeHandler(out, "get_items_id", { path: { id: "" } });
    expect(empty.error_type).toBe("InvalidParameterError");
    const missing = await invokeHandler(out, "get_items_id", { path: { id: "7" } });
    expect(missing.error_type).toBe("Http404Error");
    expect(JSON.parse(missing.message!).body).toEqual({ message: "no such item" });
  });

  it("the layer and the generated handlers are mypy --strict clean", async () => {
    const layer = join(out, "layer");
    const handlers = readdirSync(join(out, "lambdas")).map((f) => join(out, "lambdas", f));
    const env = { MYPYPATH: layer };
    const flags = ["-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null"];
    const res = await runPython([...flags, join(layer, "picorun"), ...handlers], "", env);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Success: no issues found in \d+ source files/);
    expect(readdirSync(join(layer, "picorun"))).toContain("py.typed");
  }, 120_000);

  it("refuses a server URL that is not http(s)", async () => {
    const bad = tempProject();
    writeFileSync(join(bad, "ftp.json"), spec("ftp://files.example.com"));
    const res = await runCli(["bad", join(bad, "ftp.json")], { cwd: bad });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^picofun: error: server URL "ftp:\/\/files\.example\.com" .* is not http\(s\)/)]);
  });
});
