import { describe, expect, it } from "vitest";
import { baseName, fitName, nameEndpoints } from "../../src/naming/functionName.js";
import type { Endpoint, HttpMethod } from "../../src/model/types.js";

function ep(method: HttpMethod, path: string): Endpoint {
  return { method, path, tags: [], deprecated: false, parameters: [], responses: [] };
}

describe("function names", () => {
  it("follows {method}_{path} with / . - as _ and braces dropped", () => {
    expect(baseName("get", "/orders/{orderId}/line-items/{item-id}")).toBe("get_orders_orderId_line_items_item_id");
    expect(baseName("GET", "/catalog/items.json")).toBe("get_catalog_items_json");
    expect(baseName("post", "/")).toBe("post_root");
    expect(baseName("get", "/caf\u00e9s/{id}[0] x")).toBe("get_caf_s_id_0_x");
  });

  it("cuts to 64 characters with the namespace in front and a hash suffix", () => {
    const path = "/repos/{owner}/{repo}/actions/runners/{runner_id}/labels/{name}/something/very/long";
    const name = fitName(baseName("delete", path), "github", `DELETE ${path}`);
    expect(`github_${name}`.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/_[0-9a-f]{4}$/);
    expect(fitName("get_short", "github", "GET /short")).toBe("get_short");
  });

  it("never gives two endpoints one name, whatever the order", () => {
    const list = [ep("get", "/a-b"), ep("get", "/a.b"), ep("get", "/a_b"), ep("get", "/A_B"), ep("get", "/a/b")];
    const names = nameEndpoints(list, "ns");
    const all = [...names.values()].map((n) => n.module.toLowerCase());
    expect(new Set(all).size).toBe(list.length);
    const reversed = nameEndpoints([...list].reverse(), "ns");
    for (const e of list) expect(reversed.get(e)!.module).toBe(names.get(e)!.module);
    for (const n of names.values()) {
      expect(n.functionName).toBe(`ns_${n.module}`);
      expect(n.functionName.length).toBeLessThanOrEqual(64);
      expect(n.module).toMatch(/^[a-z][A-Za-z0-9_]*$/);
    }
  });

  it("keeps long colliding names within 64 characters", () => {
    const long = "/x".repeat(60);
    const list = [ep("get", long), ep("get", long.replace(/\//g, "-").replace(/^-/, "/"))];
    const names = [...nameEndpoints(list, "a-namespace").values()];
    expect(new Set(names.map((n) => n.module)).size).toBe(2);
    for (const n of names) expect(n.functionName.length).toBeLessThanOrEqual(64);
  });
});
