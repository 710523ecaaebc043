import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

/**
 * add / remove / list endpoint(s) regenerate with the options of the last `generate` (as serve
 * does): a --server-url, --kind or --iac given to generate is not dropped by the next edit of the
 * allowlist; a flag given to the endpoint command itself still wins.
 */
async function ok(args: string[], cwd: string): Promise<CliResult> {
  const res = await runCli(args, { cwd });
  expect(res.code, `${args.join(" ")}: ${res.stderr}`).toBe(0);
  return res;
}

function project(): string {
  const dir = tempProject();
  copyFileSync(ORDERS_SPEC, join(dir, "openapi.yaml"));
  writeFileSync(join(dir, "picofun.toml"), 'namespace = "orders"\nspec = "openapi.yaml"\ninclude_endpoints = "include-endpoints.yaml"\n[server]\nurl = "https://toml.example.com"\n');
  writeFileSync(join(dir, "include-endpoints.yaml"), "operationIds:\n  - listOrders\n");
  return dir;
}

describe("the endpoint commands keep the options of the last generation", () => {
  it("add and remove endpoint regenerate with generate's --server-url and --iac", async () => {
    const dir = project();
    await ok(["generate", "--server-url", "https://recorded.example.com/v1", "--iac", "cdk"], dir);
    const added = await ok(["add", "endpoint", "getOrder"], dir);
    expect(added.stdout).toContain("Calls go to https://recorded.example.com/v1");
    const functions = JSON.parse(readFileSync(join(dir, "output", "lib", "functions.json"), "utf8")) as { functions: Record<string, unknown> };
    expect(Object.keys(functions.functions).sort()).toEqual(["orders_get_orders", "orders_get_orders_orderId"].sort());
    const removed = await ok(["remove", "endpoint", "getOrder"], dir);
    expect(removed.stdout).toContain("Calls go to https://recorded.example.com/v1");
    // A flag given now wins over the recorded one.
    const again = await ok(["add", "endpoint", "getOrder", "--server-url", "https://now.example.com"], dir);
    expect(again.stdout).toContain("Calls go to https://now.example.com");
  }, 120_000);

  it("list endpoints names functions as the last generation's kind does", async () => {
    const dir = project();
    await ok(["generate", "--kind", "api"], dir);
    const rows = JSON.parse((await ok(["list", "endpoints", "--json"], dir)).stdout) as Array<{ operationId: string; functionName: string | null; included: boolean }>;
    expect(rows.find((r) => r.operationId === "listOrders")?.functionName).toBe("orders_listOrders");
  }, 120_000);
});
