import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { startServeCli, type ServeProcess } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";

const SPEC = join(REPO, "test", "fixtures", "api", "serve-binary.yaml");
const PYTHON = { PICOFUN_PYTHON: join(REPO, ".cache", "venv", "bin", "python") };
const KEY = "k-1";
const ORIGIN = "https://app.example.com";
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80]);

const HANDLERS: Record<string, string> = {
  listItems: `import json\n\ndef handler(event, context):\n    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(["a"])}\n`,
  createItem: `import json\n\ndef handler(event, context):\n    return {"statusCode": 201, "headers": {"Access-Control-Allow-Origin": "https://set.by.handler"}, "body": json.dumps({"body": event["body"], "isBase64Encoded": event["isBase64Encoded"]})}\n`,
  uploadFile: `import json\n\ndef handler(event, context):\n    return {"statusCode": 200, "body": json.dumps({"body": event["body"], "isBase64Encoded": event["isBase64Encoded"]})}\n`,
  getImage: `def handler(event, context):\n    return {"statusCode": 200, "headers": {"Content-Type": "image/png"}, "body": "${PNG.toString("base64")}", "isBase64Encoded": True}\n`,
  getBroken: `def handler(event, context):\n    raise RuntimeError("broken on purpose")\n`,
  optionsOwnOptions: `def handler(event, context):\n    return {"statusCode": 200, "headers": {"X-Own": "yes"}, "body": ""}\n`,
};

/** The deployed definition's static headers (`'value'` -> value) under a parameter prefix. */
function staticHeaders(params: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (k.startsWith(prefix)) out[k.slice(prefix.length).toLowerCase()] = v.replace(/^'|'$/g, "");
  return out;
}

function corsOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k.startsWith("access-control-")) out[k] = v;
  });
  return out;
}

async function project(cors: string[]): Promise<{ dir: string; definition: any }> {
  const dir = tempProject();
  copyFileSync(SPEC, join(dir, "serve-binary.yaml"));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "bin"', 'spec = "serve-binary.yaml"', 'kind = "api"', 'runtime = "python3.13"', "[api.cors]", ...cors].join("\n") + "\n");
  const gen = await runCli(["generate"], { cwd: dir, timeoutMs: 120_000 });
  expect(gen.code, gen.stderr).toBe(0);
  const handlers = join(dir, "handlers");
  for (const f of readdirSync(handlers)) {
    const stem = f.replace(/\.py$/, "");
    if (HANDLERS[stem]) writeFileSync(join(handlers, f), HANDLERS[stem]);
  }
  return { dir, definition: JSON.parse(readFileSync(join(dir, "output", "openapi.json.tftpl"), "utf8")) };
}

describeWithTools("picofun serve answers CORS and binary media types as the deployed API", ["python"], () => {
  describe("one origin, max_age", () => {
    let serve: ServeProcess;
    let definition: any;
    beforeAll(async () => {
      const p = await project([`origins = ["${ORIGIN}"]`, "max_age = 600"]);
      definition = p.definition;
      serve = await startServeCli(p.dir, ["--api-key", KEY], PYTHON);
    }, 180_000);
    afterAll(async () => {
      await serve?.stop();
    });

    it("answers a preflight with the headers of the definition's OPTIONS mock integration", async () => {
      const mock = definition.paths["/items"].options["x-amazon-apigateway-integration"].responses.default.responseParameters;
      const expected = staticHeaders(mock, "method.response.header.");
      expect(expected).toEqual({
        "access-control-allow-origin": ORIGIN,
        "access-control-allow-methods": "GET,POST,OPTIONS",
        "access-control-allow-headers": "Content-Type,Authorization,X-Api-Key",
        "access-control-max-age": "600",
      });
      const res = await fetch(`${serve.url}/items`, { method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST" } });
      expect(res.status).toBe(200);
      expect(corsOf(res)).toEqual(expected);
      // A parameter path: the methods of its own resource.
      const one = await fetch(`${serve.url}/items/i-1`, { method: "OPTIONS" });
      expect(one.status).toBe(200);
      expect(one.headers.get("access-control-allow-methods")).toBe("DELETE,OPTIONS");
      // A secured path's preflight needs no API key (the mock has no security).
      expect((await fetch(`${serve.url}/keyed`, { method: "OPTIONS" })).status).toBe(200);
    });

    it("routes OPTIONS to the handler where the spec has its own OPTIONS operation", async () => {
      expect(definition.paths["/own-options"].options["x-amazon-apigateway-integration"].type).toBe("aws_proxy");
      const res = await fetch(`${serve.url}/own-options`, { method: "OPTIONS" });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-own")).toBe("yes");
      expect(corsOf(res)).toEqual({});
    });

    it("puts the definition's gateway-response CORS headers on 403, 400 and 502, and nothing on handler results", async () => {
      for (const type of ["DEFAULT_4XX", "DEFAULT_5XX"]) {
        expect(staticHeaders(definition["x-amazon-apigateway-gateway-responses"][type].responseParameters, "gatewayresponse.header.")).toEqual({
          "access-control-allow-origin": ORIGIN,
          "access-control-allow-methods": "OPTIONS",
          "access-control-allow-headers": "Content-Type,Authorization,X-Api-Key",
          "access-control-max-age": "600",
        });
      }
      const expected = staticHeaders(definition["x-amazon-apigateway-gateway-responses"].DEFAULT_4XX.responseParameters, "gatewayresponse.header.");
      const answers = [
        await fetch(`${serve.url}/nowhere`, { headers: { Origin: ORIGIN } }),
        await fetch(`${serve.url}/nowhere`, { method: "OPTIONS" }),
        await fetch(`${serve.url}/keyed`),
        await fetch(`${serve.url}/items`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }),
        await fetch(`${serve.url}/broken`),
      ];
      expect(answers.map((r) => r.status)).toEqual([403, 403, 403, 400, 502]);
      for (const r of answers) expect(corsOf(r)).toEqual(expected);
      const ok = await fetch(`${serve.url}/items`, { headers: { Origin: ORIGIN } });
      expect(ok.status).toBe(200);
      expect(corsOf(ok)).toEqual({});
      const own = await fetch(`${serve.url}/items`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"name": "n"}' });
      expect(own.status).toBe(201);
      expect(corsOf(own)).toEqual({ "access-control-allow-origin": "https://set.by.handler" });
    });

    it("passes a binary request body base64-encoded (isBase64Encoded true), text bodies as text", async () => {
      expect(definition["x-amazon-apigateway-binary-media-types"]).toEqual(["application/octet-stream", "image/png"]);
      const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x0a]);
      const bin = await fetch(`${serve.url}/files`, { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: bytes });
      expect(bin.status).toBe(200);
      expect(await bin.json()).toEqual({ body: bytes.toString("base64"), isBase64Encoded: true });
      const text = await fetch(`${serve.url}/items`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"name": "é"}' });
      expect(await text.json()).toEqual({ body: '{"name": "é"}', isBase64Encoded: false });
    });

    it("returns a base64 result with isBase64Encoded as raw bytes when the first Accept type is binary, else as the base64 text", async () => {
      const raw = await fetch(`${serve.url}/images/i-1`, { headers: { Accept: "image/png" } });
      expect(raw.status).toBe(200);
      expect(raw.headers.get("content-type")).toBe("image/png");
      expect(Buffer.from(await raw.arrayBuffer())).toEqual(PNG);
      const from = serve.log().length;
      const text = await fetch(`${serve.url}/images/i-1`, { headers: { Accept: "application/json, image/png" } });
      expect(await text.text()).toBe(PNG.toString("base64"));
      await serve.waitFor(/getImage: isBase64Encoded body sent as base64 text: the request's first Accept type \(application\/json\)/, from);
    });
  });

  describe("several origins, own methods and headers", () => {
    let serve: ServeProcess;
    let definition: any;
    beforeAll(async () => {
      const p = await project([`origins = ["${ORIGIN}", "https://admin.example.com"]`, 'methods = ["GET", "POST"]', 'headers = ["Content-Type", "X-Trace"]']);
      definition = p.definition;
      serve = await startServeCli(p.dir, ["--api-key", KEY], PYTHON);
    }, 180_000);
    afterAll(async () => {
      await serve?.stop();
    });

    it("echoes an allowed Origin in the preflight (the mock's template), none for others, and none on gateway errors", async () => {
      const mock = definition.paths["/items"].options["x-amazon-apigateway-integration"].responses.default;
      expect(mock.responseTemplates["application/json"]).toMatch(/Access-Control-Allow-Origin = \$origin/);
      const expected = staticHeaders(mock.responseParameters, "method.response.header.");
      expect(expected).toEqual({ "access-control-allow-methods": "GET,POST", "access-control-allow-headers": "Content-Type,X-Trace" });
      const admin = await fetch(`${serve.url}/items`, { method: "OPTIONS", headers: { Origin: "https://admin.example.com" } });
      expect(corsOf(admin)).toEqual({ ...expected, "access-control-allow-origin": "https://admin.example.com" });
      const other = await fetch(`${serve.url}/items`, { method: "OPTIONS", headers: { Origin: "https://evil.example.com" } });
      expect(corsOf(other)).toEqual(expected);
      const gateway = staticHeaders(definition["x-amazon-apigateway-gateway-responses"].DEFAULT_4XX.responseParameters, "gatewayresponse.header.");
      const denied = await fetch(`${serve.url}/keyed`, { headers: { Origin: ORIGIN } });
      expect(denied.status).toBe(403);
      expect(corsOf(denied)).toEqual(gateway);
      expect(gateway["access-control-allow-origin"]).toBeUndefined();
    });
  });
});
