import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { oneErrorLine } from "../support/oneErrorLine.js";

const ALL = ["GET /catalog/items.json", "GET /orders", "POST /orders", "GET /orders/{orderId}", "DELETE /orders/{orderId}", "PUT /orders/{orderId}/line-items/{item-id}"];

function orders(): Record<string, any> {
  return yaml.load(readFileSync(ORDERS_SPEC, "utf8")) as Record<string, any>;
}

/** Generates the api kind from `spec` with extra picofun.toml lines; returns the project folder and the result. */
async function generate(spec: Record<string, any>, lines: string[] = [], args: string[] = []) {
  const dir = tempProject();
  writeFileSync(join(dir, "orders.json"), JSON.stringify(spec));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "orders"', 'spec = "orders.json"', 'kind = "api"', ...lines].join("\n"));
  const res = await runCli(["--yes", ...args], { cwd: dir });
  return { dir, res };
}

function openLine(stdout: string): string | undefined {
  return stdout.split("\n").find((l) => l.includes("open to the internet"));
}

function definition(dir: string): Record<string, any> {
  // The ${...} placeholders of the template are inside strings, so the text parses as JSON.
  return JSON.parse(readFileSync(join(dir, "output", "openapi.json.tftpl"), "utf8"));
}

describe("api kind: operations the spec leaves open are named (secure by default)", () => {
  it("lists every operation without security at generation, and generates", async () => {
    const { res } = await generate(orders());
    expect(res.code, res.stderr).toBe(0);
    const line = openLine(res.stdout);
    expect(line, res.stdout).toBeDefined();
    for (const key of ALL) expect(line).toContain(key);
    expect(line).toContain("[api] public_operations");
  });

  it("--strict makes it one error line, exit 1, and writes nothing", async () => {
    const { dir, res } = await generate(orders(), [], ["--strict"]);
    const line = oneErrorLine(res);
    expect(line).toMatch(/^picofun: error: .*open to the internet.*POST \/orders/);
    expect(() => readFileSync(join(dir, "output", "openapi.json.tftpl"))).toThrow();
  });

  it("[api] public_operations silences the operations it selects (operationId, METHOD /path, glob, tag:)", async () => {
    const some = await generate(orders(), ["[api]", 'public_operations = ["listOrders", "GET /orders/{orderId}"]']);
    expect(some.res.code, some.res.stderr).toBe(0);
    const line = openLine(some.res.stdout)!;
    expect(line).toContain("POST /orders,");
    expect(line).not.toMatch(/GET \/orders[,;]/);
    expect(line).not.toContain("GET /orders/{orderId}");
    const all = await generate(orders(), ["[api]", 'public_operations = ["/orders/**", "/orders", "tag:catalog"]'], ["--strict"]);
    expect(all.res.code, all.res.stderr).toBe(0);
    expect(openLine(all.res.stdout)).toBeUndefined();
  });

  it("a public_operations selector that names nothing is a warning; one that does not parse is an error naming the key", async () => {
    const typo = await generate(orders(), ["[api]", 'public_operations = ["/ordres/**", "/**"]']);
    expect(typo.res.code, typo.res.stderr).toBe(0);
    expect(typo.res.stdout).toContain('public_operations: "/ordres/**" names no operation');
    const bad = await generate(orders(), ["[api]", 'public_operations = ["GET orders"]']);
    expect(oneErrorLine(bad.res)).toMatch(/public_operations/);
  });

  it("an explicit security: [] silences the warning and is kept in the deployed definition", async () => {
    const spec = orders();
    spec.components.securitySchemes = { apiKey: { type: "apiKey", in: "header", name: "x-api-key" } };
    spec.security = [{ apiKey: [] }];
    spec.paths["/catalog/items.json"].get.security = [];
    const { dir, res } = await generate(spec, [], ["--strict"]);
    expect(res.code, res.stderr).toBe(0);
    expect(openLine(res.stdout)).toBeUndefined();
    const def = definition(dir);
    expect(def.paths["/catalog/items.json"].get.security).toEqual([]);
    expect(def.paths["/orders"].post.security).toEqual([{ apiKey: [] }]);
    // A root security: [] is explicit too: every operation keeps it (API Gateway ignores the root).
    const rootOpen = orders();
    rootOpen.security = [];
    const root = await generate(rootOpen, [], ["--strict"]);
    expect(root.res.code, root.res.stderr).toBe(0);
    for (const item of Object.values(definition(root.dir).paths) as Array<Record<string, any>>) {
      for (const [method, op] of Object.entries(item)) if (method !== "options" && op && typeof op === "object" && "responses" in op) expect(op.security, method).toEqual([]);
    }
  });

  it("picofun lint reports each open operation as a warning, and not those with security: []", async () => {
    const spec = orders();
    spec.paths["/orders"].get.security = [];
    const dir = tempProject();
    writeFileSync(join(dir, "orders.json"), JSON.stringify(spec));
    const res = await runCli(["lint", "orders.json", "--format", "json"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as { findings: Array<{ rule: string; severity: string; pointer: string }> };
    const open = report.findings.filter((f) => f.rule === "open-operation");
    expect(open.map((f) => f.severity)).toEqual(Array(5).fill("warning"));
    expect(open.map((f) => f.pointer)).not.toContain("#/paths/~1orders/get");
    expect(open.map((f) => f.pointer)).toContain("#/paths/~1orders/post");
  });
});
