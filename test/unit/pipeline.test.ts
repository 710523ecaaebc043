import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../../src/pipeline/generate.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

describe("pipeline in-process", () => {
  it("generates the orders example from TypeScript sources", async () => {
    const dir = tempProject();
    const result = await generate({ cwd: dir, overrides: { namespace: "orders", spec: ORDERS_SPEC } });
    expect(result.functionCount).toBe(6);
    expect(result.endpoints.map((e) => e.operationId).sort()).toEqual(
      ["cancelOrder", "createOrder", "getOrder", "listCatalogItems", "listOrders", "putLineItem"],
    );
    const handler = readFileSync(join(dir, "output", "lambdas", "get_orders.py"), "utf8");
    expect(handler).toContain('server_url="https://eu.orders.example.com/v1"');
    expect(existsSync(join(dir, "output", "build", "layer.zip"))).toBe(true);
  });
});
