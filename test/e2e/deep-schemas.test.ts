import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { oneErrorLine } from "../support/oneErrorLine.js";

/**
 * A spec with a schema whose properties nest `depth` levels deep (written as text: JSON.stringify
 * itself overflows on such a value), beside a self-referencing model and a 10,000-long $ref chain
 * that loops back to its start.
 */
function deepSpec(depth: number): string {
  const nested = `${'{"type":"object","properties":{"a":'.repeat(depth)}{"type":"string"}${"}}".repeat(depth)}`;
  const chain = Object.fromEntries(
    Array.from({ length: 10_000 }, (_, i) => [`C${i}`, i < 9_999 ? { $ref: `#/components/schemas/C${i + 1}` } : { type: "object", properties: { back: { $ref: "#/components/schemas/C0" } } }]),
  );
  const json = (schema: string) => ({ content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } } });
  const spec = {
    openapi: "3.0.3",
    info: { title: "deep", version: "1" },
    servers: [{ url: "https://example.com" }],
    paths: {
      "/deep": { post: { operationId: "postDeep", requestBody: json("Deep"), responses: { "200": { description: "ok" } } } },
      "/self": { get: { operationId: "getSelf", responses: { "200": { description: "ok", ...json("Node") } } } },
    },
    components: {
      schemas: {
        Deep: "@DEEP@",
        Node: { type: "object", properties: { child: { $ref: "#/components/schemas/Node" }, next: { $ref: "#/components/schemas/C0" } } },
        ...chain,
      },
    },
  };
  return JSON.stringify(spec).replace('"@DEEP@"', nested);
}

function project(depth: number, kind: "api" | "client"): string {
  const dir = tempProject();
  writeFileSync(join(dir, "deep.json"), deepSpec(depth));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "d"', 'spec = "deep.json"', `kind = "${kind}"`].join("\n") + "\n");
  return dir;
}

const TOO_DEEP = /^picofun: error: \S+deep\.json: #\/components\/schemas\/Deep\/properties\/a\/properties\/a\/.*nests more than 500 levels deep/;

describe("a schema nested 10,000 levels deep", () => {
  it("api kind: generate is one error line naming where, and writes nothing", async () => {
    const dir = project(10_000, "api");
    const line = oneErrorLine(await runCli([], { cwd: dir }));
    expect(line).toMatch(TOO_DEEP);
    expect(existsSync(join(dir, "handlers"))).toBe(false);
    expect(existsSync(join(dir, "output"))).toBe(false);
  });

  it("picofun lint is the same one line", async () => {
    const dir = project(10_000, "api");
    expect(oneErrorLine(await runCli(["lint", "deep.json"], { cwd: dir }))).toMatch(TOO_DEEP);
  });

  it("api kind: the allowlist leaving the deep operation out generates the rest", async () => {
    const dir = project(10_000, "api");
    writeFileSync(join(dir, "include-endpoints.yaml"), "operationIds:\n  - getSelf\n");
    writeFileSync(join(dir, "picofun.toml"), `${readFileSync(join(dir, "picofun.toml"), "utf8")}include_endpoints = "include-endpoints.yaml"\n`);
    const res = await runCli([], { cwd: dir });
    expect(res.stderr).not.toMatch(/error/);
    expect(res.code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.functions)).toEqual(["d_getSelf"]);
  });

  it("client kind: generates (nothing recurses into request schemas)", async () => {
    const dir = project(10_000, "client");
    const res = await runCli([], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.functions).sort()).toEqual(["d_get_self", "d_post_deep"]);
  });
});

describe("self-referencing models and a 10,000-long $ref cycle", () => {
  it("api kind: generate works, keeping every model the operations reach; lint warns about the cycles", async () => {
    const dir = project(240, "api");
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toMatch(/error/);
    const definition = JSON.parse(readFileSync(join(dir, "output", "openapi.json.tftpl"), "utf8").replace(/\$\{uris\.[A-Za-z0-9_]+\}/g, "uri"));
    const schemas = definition.components.schemas;
    expect(schemas.Node.properties.child).toEqual({ $ref: "#/components/schemas/Node" });
    expect(schemas.C9999.properties.back).toEqual({ $ref: "#/components/schemas/C0" });
    expect(Object.keys(schemas)).toHaveLength(10_002);
    // 240 levels of properties (480 of JSON) is below the limit and kept whole.
    let deep = schemas.Deep;
    for (let i = 0; i < 240; i++) deep = deep.properties.a;
    expect(deep).toEqual({ type: "string" });
    const lint = await runCli(["lint", "deep.json"], { cwd: dir });
    expect(lint.code, lint.stderr).toBe(0);
    expect(lint.stdout).toMatch(/^warning circular-model +#\/components\/schemas\/Node +model "Node" refers to itself/m);
    expect(lint.stdout).toMatch(/^  circular-model +10001 warning\(s\)/m);
  });

  it("client kind: generate works", async () => {
    const dir = project(1, "client");
    const res = await runCli([], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
  });
});
