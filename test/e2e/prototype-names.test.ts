import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { oneErrorLine } from "../support/oneErrorLine.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";

/**
 * Names JavaScript objects already have (constructor, toString, valueOf, hasOwnProperty) as every
 * kind of name a spec holds: server variables, tags, paths, parameters, operationIds, schemas,
 * properties, enum values, security schemes. They are plain names: every kind and IaC generates,
 * and nothing of Object.prototype (a function's source) reaches a file. A key named __proto__ is
 * refused with one line (src/spec/protoKeys.ts).
 */
function spec(name: string): string {
  const doc = {
    openapi: "3.0.3",
    info: { title: "constructor", version: "1" },
    servers: [{ url: "https://{NAME}.example.com/{constructor}", variables: { NAME: { default: "api" }, constructor: { default: "v1" } } }],
    tags: [{ name: "NAME" }, { name: "constructor" }],
    paths: {
      "/constructor/{NAME}": {
        parameters: [{ name: "NAME", in: "path", required: true, schema: { type: "string" } }],
        get: {
          operationId: "constructor",
          tags: ["NAME"],
          parameters: [
            { name: "toString", in: "query", schema: { type: "string" } },
            { name: "hasOwnProperty", in: "header", schema: { type: "string" } },
          ],
          security: [{ NAME: [] }, { constructor: [] }],
          responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/NAME" } } } } },
        },
        post: {
          operationId: "NAME",
          tags: ["constructor"],
          security: [{ constructor: [] }],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/constructor" } } } },
          responses: { "201": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/constructor" } } } } },
        },
      },
      "/toString": { put: { operationId: "toString", security: [{ NAME: [] }], responses: { "204": { description: "none" } } } },
    },
    components: {
      schemas: {
        NAME: {
          type: "object",
          required: ["constructor", "NAME"],
          properties: { constructor: { type: "string", enum: ["toString", "NAME"] }, NAME: { type: "integer" }, toString: { $ref: "#/components/schemas/toString" } },
        },
        constructor: { type: "object", properties: { valueOf: { type: "array", items: { type: "string" } }, hasOwnProperty: { type: "boolean" } } },
        toString: { type: "string" },
      },
      securitySchemes: { NAME: { type: "apiKey", in: "header", name: "constructor" }, constructor: { type: "http", scheme: "bearer" } },
    },
  };
  return JSON.stringify(doc, null, 2).replace(/NAME/g, name);
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const full = join(dir, n);
    return statSync(full).isDirectory() ? (n === "node_modules" ? [] : files(full)) : [full];
  });
}

describe("a key named __proto__ anywhere in the spec", () => {
  it("is one error line naming where it is, for both kinds", async () => {
    for (const kind of ["client", "api"]) {
      const dir = tempProject();
      writeFileSync(join(dir, "spec.json"), spec("__proto__"));
      writeFileSync(join(dir, "picofun.toml"), `kind = "${kind}"\n`);
      const line = oneErrorLine(await runCli(["proto", "spec.json", "--yes"], { cwd: dir }));
      expect(line).toMatch(/^picofun: error: .*spec\.json: a key named "__proto__" \(#\/servers\/0\/variables\/__proto__\) is not supported/);
    }
  });
});

describe("a Swagger 2.0 value that would become a key named __proto__", () => {
  it("is one error line naming where it is: a produces media type, a formData field", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ produces: ["application/json", "__proto__"] }, /media type "__proto__" \(#\/produces\/1\) would become a key/],
      [{ paths: { "/f": { post: { parameters: [{ in: "formData", name: "__proto__", type: "string" }], responses: { 200: { description: "ok" } } } } } }, /formData parameter "__proto__" of POST \/f would become a key/],
    ];
    for (const [extra, message] of cases) {
      const dir = tempProject();
      const doc = { swagger: "2.0", info: { title: "t", version: "1" }, host: "api.example.com", paths: { "/g": { get: { responses: { 200: { description: "ok" } } } } }, ...extra };
      writeFileSync(join(dir, "spec.json"), JSON.stringify(doc));
      const line = oneErrorLine(await runCli(["proto", "spec.json", "--yes"], { cwd: dir }));
      expect(line).toMatch(/^picofun: error: .*spec\.json: /);
      expect(line).toMatch(message);
    }
  });
});

describeWithTools("names Object.prototype has are plain names in every kind and IaC", ["python"], () => {
  for (const kind of ["client", "api"]) {
    for (const iac of ["terraform", "cdk"]) {
      it(`${kind} + ${iac}: generates, twice (the second from the model cache), and every file is free of Object.prototype`, async () => {
        const dir = tempProject();
        writeFileSync(join(dir, "spec.json"), spec("valueOf"));
        writeFileSync(join(dir, "picofun.toml"), `kind = "${kind}"\niac = "${iac}"\n${kind === "api" ? '[api]\npublic_operations = []\n' : ""}`);
        for (const run of [1, 2]) {
          const res = await runCli(["proto", "spec.json", "--yes"], { cwd: dir });
          expect(res.code, `run ${run}: ${res.stderr}`).toBe(0);
          // The server variables {valueOf} and {constructor} take the spec's defaults.
          if (kind === "client") expect(res.stdout).toContain("Calls go to https://api.example.com/v1");
        }
        const out = files(join(dir, "output"));
        for (const f of out) {
          if (/\.(zip)$/.test(f)) continue;
          const text = readFileSync(f, "utf8");
          expect(text, f).not.toMatch(/\[native code\]|function Object\(|\[object Object\]/);
          if (f.endsWith(".json")) expect(() => JSON.parse(text), f).not.toThrow();
        }
        const py = out.filter((f) => f.endsWith(".py"));
        if (py.length) {
          const res = await runPython(["-m", "py_compile", ...py]);
          expect(res.code, res.stderr).toBe(0);
        }
      }, 120_000);
    }
  }
});
