import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { startServeCli, type ServeProcess } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";

const SPEC = join(REPO, "test", "fixtures", "api", "serve.yaml");
const KEY = "test-key-123";

const PY = {
  ext: "py",
  runtime: "python3.13",
  echo: (tag: string) => `import json\n\ndef handler(event, context):\n    return {"statusCode": 200, "headers": {"Content-Type": "application/json", "X-Tag": "${tag}"}, "body": json.dumps({"event": event, "remaining": context.get_remaining_time_in_millis(), "fn": context.function_name})}\n`,
  broken: `def handler(event, context):\n    return {"statusCode": 200, "body": {"not": "a string"}}\n`,
  raising: `def handler(event, context):\n    raise ValueError("no such item " + str(event["pathParameters"]))\n`,
  ok: `def handler(event, context):\n    return {"statusCode": 200, "body": "ok"}\n`,
  authorizer: `def handler(event, context):\n    token = event["authorizationToken"]\n    effect = "Allow" if token == "Bearer good" else "Deny"\n    return {"principalId": "user-1", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]}, "context": {"tenant": "t-9"}}\n`,
};

const NODE = {
  ext: "mjs",
  runtime: "nodejs22.x",
  echo: (tag: string) => `export const handler = async (event, context) => ({ statusCode: 200, headers: { "Content-Type": "application/json", "X-Tag": "${tag}" }, body: JSON.stringify({ event, remaining: context.getRemainingTimeInMillis(), fn: context.functionName }) });\n`,
  broken: `export const handler = async () => ({ statusCode: 200, body: { not: "a string" } });\n`,
  raising: `export const handler = async (event) => { throw new RangeError("no such item " + JSON.stringify(event.pathParameters)); };\n`,
  ok: `export const handler = async () => ({ statusCode: 200, body: "ok" });\n`,
  authorizer: `export const handler = async (event) => ({ principalId: "user-1", policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: event.authorizationToken === "Bearer good" ? "Allow" : "Deny", Resource: event.methodArn }] }, context: { tenant: "t-9" } });\n`,
};

for (const lang of [PY, NODE]) {
  describeWithTools(`picofun serve with ${lang.runtime} handlers`, ["python"], () => {
    let dir: string;
    let serve: ServeProcess;
    const handler = (name: string) => join(dir, "handlers", `${name}.${lang.ext}`);
    beforeAll(async () => {
      dir = tempProject();
      copyFileSync(SPEC, join(dir, "serve.yaml"));
      writeFileSync(join(dir, "picofun.toml"), ['namespace = "shop"', 'spec = "serve.yaml"', 'kind = "api"', `runtime = "${lang.runtime}"`, "[api]", 'base_path = "prepend"'].join("\n") + "\n");
      const { mkdirSync } = await import("node:fs");
      mkdirSync(join(dir, "handlers"));
      writeFileSync(handler("listItems"), lang.echo("one"));
      writeFileSync(handler("getItem"), lang.raising);
      writeFileSync(handler("createItem"), lang.broken);
      writeFileSync(handler("getKeyed"), lang.ok);
      writeFileSync(handler("getPrivate"), lang.echo("private"));
      writeFileSync(handler("authorize_bearer"), lang.authorizer);
      serve = await startServeCli(dir, ["--api-key", KEY], { PICOFUN_PYTHON: join(REPO, ".cache", "venv", "bin", "python") });
    }, 120_000);
    afterAll(async () => {
      await serve?.stop();
    });

    it("prints a start line with the URL and the number of routes", () => {
      expect(serve.log()).toMatch(new RegExp(`picofun serve: ${serve.url.replace(/\./g, "\\.")} \\(5 routes`));
    });

    it("passes a REST API proxy event (v1.0) with every field, and answers with the handler's proxy result", async () => {
      const res = await fetch(`${serve.url}/v1/items?tag=a&tag=b&x=1`, { headers: { "X-Custom": "c1" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-tag")).toBe("one");
      const { event, remaining, fn } = (await res.json()) as any;
      expect(fn).toBe("shop_listItems");
      expect(remaining).toBeGreaterThan(1000);
      for (const k of ["resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext", "body", "isBase64Encoded"]) {
        expect(event).toHaveProperty(k);
      }
      expect(event.resource).toBe("/v1/items");
      expect(event.path).toBe("/v1/items");
      expect(event.httpMethod).toBe("GET");
      expect(event.queryStringParameters).toEqual({ tag: "b", x: "1" });
      expect(event.multiValueQueryStringParameters).toEqual({ tag: ["a", "b"], x: ["1"] });
      expect(event.headers["X-Custom"] ?? event.headers["x-custom"]).toBe("c1");
      expect(event.multiValueHeaders["X-Custom"] ?? event.multiValueHeaders["x-custom"]).toEqual(["c1"]);
      expect(event.pathParameters).toBeNull();
      expect(event.body).toBeNull();
      expect(event.isBase64Encoded).toBe(false);
      const rc = event.requestContext;
      expect(rc.stage).toBe("v1");
      expect(rc.resourcePath).toBe("/v1/items");
      expect(rc.httpMethod).toBe("GET");
      expect(typeof rc.requestId).toBe("string");
      expect(rc.identity.sourceIp).toBe("127.0.0.1");
      expect(rc).toHaveProperty("authorizer");
      await serve.waitFor(/GET \/v1\/items\?tag=a&tag=b&x=1 200 [\d.]+ ms/);
    });

    it("answers 502 for a malformed result and for an exception, with the error and traceback in the log", async () => {
      let from = serve.log().length;
      const broken = await fetch(`${serve.url}/v1/items`, { method: "POST", body: JSON.stringify({ name: "n" }), headers: { "Content-Type": "application/json" } });
      expect(broken.status).toBe(502);
      expect(await broken.json()).toEqual({ message: "Internal server error" });
      await serve.waitFor(/createItem .*malformed Lambda proxy response: body must be a string/, from);
      from = serve.log().length;
      const raising = await fetch(`${serve.url}/v1/items/i-7`);
      expect(raising.status).toBe(502);
      expect(await raising.json()).toEqual({ message: "Internal server error" });
      await serve.waitFor(lang.ext === "py" ? /getItem .*ValueError: no such item[\s\S]*Traceback[\s\S]*line 2, in handler/ : /getItem .*RangeError: no such item[\s\S]*at handler/, from);
    });

    it("answers unknown paths and unknown methods as API Gateway does (403 Missing Authentication Token)", async () => {
      for (const [method, path] of [["GET", "/v1/nowhere"], ["DELETE", "/v1/items"], ["GET", "/items"]]) {
        const res = await fetch(`${serve.url}${path}`, { method });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(await res.json()).toEqual({ message: "Missing Authentication Token" });
      }
    });

    it("enforces the API key (x-api-key)", async () => {
      expect((await fetch(`${serve.url}/v1/keyed`)).status).toBe(403);
      const wrong = await fetch(`${serve.url}/v1/keyed`, { headers: { "x-api-key": "nope" } });
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toEqual({ message: "Forbidden" });
      const right = await fetch(`${serve.url}/v1/keyed`, { headers: { "x-api-key": KEY } });
      expect(right.status).toBe(200);
      expect(await right.text()).toBe("ok");
    });

    it("runs the Lambda authorizer: no token 401, denied 403, allowed with its context passed on", async () => {
      const none = await fetch(`${serve.url}/v1/private`);
      expect(none.status).toBe(401);
      expect(await none.json()).toEqual({ message: "Unauthorized" });
      const denied = await fetch(`${serve.url}/v1/private`, { headers: { Authorization: "Bearer bad" } });
      expect(denied.status).toBe(403);
      const allowed = await fetch(`${serve.url}/v1/private`, { headers: { Authorization: "Bearer good" } });
      expect(allowed.status).toBe(200);
      const { event } = (await allowed.json()) as any;
      expect(event.requestContext.authorizer).toMatchObject({ principalId: "user-1", tenant: "t-9" });
    });

    it("runs the request validator (required body, schema)", async () => {
      const missing = await fetch(`${serve.url}/v1/items`, { method: "POST", headers: { "Content-Type": "application/json" } });
      expect(missing.status).toBe(400);
      const bad = await fetch(`${serve.url}/v1/items`, { method: "POST", body: JSON.stringify({ id: "x" }), headers: { "Content-Type": "application/json" } });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ message: "Invalid request body" });
    });

    it("uses an edited handler from the next request, without a restart", async () => {
      writeFileSync(handler("listItems"), lang.echo("two-after-the-edit"));
      const res = await fetch(`${serve.url}/v1/items`);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-tag")).toBe("two-after-the-edit");
    });

    it("creates the stub of an operation added to the spec while serving, and routes to it", async () => {
      const from = serve.log().length;
      const spec = readFileSync(join(dir, "serve.yaml"), "utf8").replace("paths:\n", "paths:\n  /added:\n    get:\n      operationId: getAdded\n      responses:\n        \"200\":\n          description: New\n");
      writeFileSync(join(dir, "serve.yaml"), spec);
      await serve.waitFor(/spec changed: 6 routes/, from);
      expect(existsSync(handler("getAdded"))).toBe(true);
      const res = await fetch(`${serve.url}/v1/added`);
      expect(res.status).toBe(501);
      expect(await res.json()).toMatchObject({ operation: "getAdded" });
    });

    it("stops its workers on Ctrl+C", async () => {
      const code = await serve.stop();
      expect(code).toBe(0);
      expect(serve.log()).toMatch(/picofun serve: stopped/);
    });
  });
}
