import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { invokeNodeStub, invokePythonStub, proxyEvent } from "../support/proxy.js";
import { describeWithTools } from "../support/skip.js";

/**
 * Bidi marks, overrides and isolates, zero-width characters, BOM: what Trojan Source hides code
 * with (the set of src/render/escape.ts; the zero-width joiner U+200D stays, emoji need it).
 */
const INVISIBLE = /[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const SNEAKY = "admin\u202e \u2066// check\u2069 \u200bzero\u200dwidth\ufeff";

/** Parameters named like Object.prototype's members, and spec text full of invisible characters. */
function spec(): string {
  const param = (name: string, where: string) => ({ name, in: where, required: where === "path", description: `${name} ${SNEAKY}`, schema: { type: "string" } });
  return JSON.stringify({
    openapi: "3.0.3",
    info: { title: "Proto", version: "1" },
    paths: {
      "/things/{toString}": {
        post: {
          operationId: "makeThing",
          summary: `Make ${SNEAKY}`,
          description: `Long text ${SNEAKY}\nsecond line \u2067rtl\u2069`,
          parameters: [param("toString", "path"), param("__proto__", "query"), param("constructor", "query"), param("hasOwnProperty", "header")],
          requestBody: { description: `The thing ${SNEAKY}`, content: { "application/json": { schema: { type: "object" } } } },
          responses: { "200": { description: "ok" } },
        },
      },
    },
  });
}

function project(runtime: string): string {
  const dir = tempProject();
  writeFileSync(join(dir, "api.json"), spec());
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "p"', 'spec = "api.json"', 'kind = "api"', `runtime = "${runtime}"`].join("\n") + "\n");
  return dir;
}

async function generate(dir: string): Promise<void> {
  const res = await runCli([], { cwd: dir });
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
}

const EVENT = proxyEvent({
  method: "POST",
  resource: "/things/{toString}",
  path: "/things/t1",
  pathParameters: { toString: "t1" },
  // JSON.parse: in an object literal "__proto__" would set the prototype, not a key.
  query: JSON.parse('{"__proto__": ["p1"], "constructor": ["c1"]}') as Record<string, string[]>,
  headers: { hasOwnProperty: "h1" },
  body: '{"a":1}',
});
const RECEIVED = JSON.parse('{"toString": "t1", "__proto__": "p1", "constructor": "c1", "hasOwnProperty": "h1", "body": {"a": 1}}') as Record<string, unknown>;

describe("api kind: Node stubs and hostile spec text", () => {
  it("echo __proto__, constructor, toString and hasOwnProperty like any other parameter", async () => {
    const dir = project("nodejs22.x");
    await generate(dir);
    const file = join(dir, "handlers", "makeThing.mjs");
    const result = (await invokeNodeStub(file, EVENT)) as { body: string };
    // JSON.parse makes "__proto__" an own key, so the keys compare like the others.
    const received = JSON.parse(result.body).received;
    expect(Object.keys(received).sort()).toEqual(Object.keys(RECEIVED).sort());
    expect(received).toEqual(RECEIVED);
    expect(result.body).toContain('"__proto__":"p1"');
    // Without the parameters, nothing is read from Object.prototype.
    const empty = JSON.parse(((await invokeNodeStub(file, proxyEvent({ method: "POST", resource: "/things/{toString}", path: "/things/x" }))) as { body: string }).body).received;
    expect(Object.values(empty).filter((v) => typeof v === "function")).toEqual([]);
  });

  it("keep no bidi or zero-width character in comments, from summary, description, parameters and body", async () => {
    const dir = project("nodejs22.x");
    await generate(dir);
    const text = readFileSync(join(dir, "handlers", "makeThing.mjs"), "utf8");
    expect(text).not.toMatch(INVISIBLE);
    expect(text).toMatch(/__proto__ \(query, optional, string\): __proto__ admin \/\/ check zero\u200dwidth/);
    expect(text).toMatch(/The thing admin/);
  });
});

describeWithTools("api kind: Python stubs and hostile spec text", ["python"], () => {
  it("keep no bidi or zero-width character in the docstring or comments, and echo every parameter", async () => {
    const dir = project("python3.13");
    await generate(dir);
    const text = readFileSync(join(dir, "handlers", "makeThing.py"), "utf8");
    expect(text).not.toMatch(INVISIBLE);
    expect(text).toMatch(/# __proto__ \(query, optional, string\): __proto__ admin \/\/ check zero\u200dwidth/);
    const result = (await invokePythonStub(join(dir, "handlers"), "makeThing", EVENT)) as { body: string };
    const received = JSON.parse(result.body).received;
    expect(Object.keys(received).sort()).toEqual(Object.keys(RECEIVED).sort());
    expect(received).toEqual(RECEIVED);
  });
});
