import { describe, expect, it } from "vitest";
import { assignOperationIds, idFromPath, isWindowsDeviceName, listOperations, nameOperations } from "../../src/kinds/api/operationIds.js";
import { stableJson, transformForApiGateway, wiredDefinition } from "../../src/kinds/api/gateway/transform.js";

describe("operationIds", () => {
  it("are made from method and path, deterministic and unique within the spec", () => {
    expect(idFromPath("get", "/pets/{petId}/toys")).toBe("getPetsByPetIdToys");
    expect(idFromPath("post", "/")).toBe("postRoot");
    expect(idFromPath("get", "/files/{path+}")).toBe("getFilesByPath");
    const doc = {
      paths: {
        "/a-b": { get: {} },
        "/a_b": { get: {} },
        "/x": { get: { operationId: "getAB" } },
      },
    };
    const ids = assignOperationIds(listOperations(doc));
    expect([...ids.values()].sort()).toEqual(["getAB", "getAB2", "getAB3"]);
    expect(assignOperationIds(listOperations(structuredClone(doc)))).toEqual(ids);
  });

  it("name functions {namespace}_{operationId} within 64 characters, unique ignoring case", () => {
    const long = "a".repeat(80);
    const names = nameOperations(["getPet", "GetPet", long, `${long}b`, "with.dots-and space"], "shop");
    const all = [...names.values()];
    for (const n of all) {
      expect(n.functionName.length).toBeLessThanOrEqual(64);
      expect(n.functionName).toMatch(/^shop_[A-Za-z0-9_]+$/);
    }
    expect(new Set(all.map((n) => n.functionName.toLowerCase())).size).toBe(all.length);
    expect(names.get("getPet")!.functionName).toBe("shop_getPet");
    expect(names.get("with.dots-and space")!.module).toBe("with_dots_and_space");
  });

  it("give Windows device names (CON, nul, Com1, LPT9, any case) a module with a suffix, keeping the function name", () => {
    const ids = ["CON", "nul", "Com1", "lpt9", "aux", "PRN", "COM0", "nul.txt", "CON_op", "con", "CONSOLE", "com10"];
    const names = nameOperations(ids, "w");
    const get = (id: string) => names.get(id)!;
    expect(get("CON")).toEqual({ module: "CON_op", functionName: "w_CON" });
    expect(get("nul")).toEqual({ module: "nul_op", functionName: "w_nul" });
    expect(get("Com1")).toEqual({ module: "Com1_op", functionName: "w_Com1" });
    expect(get("lpt9").module).toBe("lpt9_op");
    expect(get("aux").module).toBe("aux_op");
    expect(get("PRN").module).toBe("PRN_op");
    expect(get("COM0").module).toBe("COM0_op");
    // Not device names: the dot becomes "_", and longer words are free.
    expect(get("nul.txt").module).toBe("nul_txt");
    expect(get("CONSOLE").module).toBe("CONSOLE");
    expect(get("com10").module).toBe("com10");
    // An operation named like the suffixed module, and one differing in case: never the same file.
    const all = [...names.values()];
    expect(new Set(all.map((n) => n.module.toLowerCase())).size).toBe(all.length);
    expect(new Set(all.map((n) => n.functionName.toLowerCase())).size).toBe(all.length);
    for (const n of all) expect(isWindowsDeviceName(n.module)).toBe(false);
    expect(get("CON_op").module).toMatch(/^CON_op_[0-9a-z]{4}$/);
    expect(get("con").module).toMatch(/^con_[0-9a-z]{4}$/);
    expect(get("con").functionName).toBe(`w_${get("con").module}`);
    // Stable: the same ids give the same names.
    expect([...nameOperations(ids, "w")]).toEqual([...names]);
  });
});

describe("transformForApiGateway", () => {
  const ops = (keys: string[]) => new Map(keys.map((k, i) => [k, { operationId: `op${i}`, functionName: `ns_op${i}` }]));

  it("downconverts OpenAPI 3.1 where it is mechanical", () => {
    const doc = {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      webhooks: {},
      paths: { "/a": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { type: ["string", "null"], const: "x" } } } } } } } },
    };
    const before = structuredClone(doc);
    const r = transformForApiGateway({ doc, version: "3.1", operations: ops(["GET /a"]) });
    expect(doc).toEqual(before);
    const out = JSON.parse(wiredDefinition(r, (fn) => fn));
    expect(out.openapi).toBe("3.0.3");
    expect(out.webhooks).toBeUndefined();
    expect(out.paths["/a"].get.responses["200"].content["application/json"].schema).toEqual({ type: "string", nullable: true, enum: ["x"] });
    expect(r.warnings.join("\n")).toMatch(/converted to 3\.0\.3/);
  });

  it("renames non-alphanumeric models and their $refs, drops operations outside the selection", () => {
    const doc = {
      openapi: "3.0.3",
      paths: {
        "/a": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/my_model" } } } } } } },
        "/b": { get: { responses: { "200": { description: "ok" } } } },
      },
      components: { schemas: { my_model: { type: "object" } } },
    };
    const r = transformForApiGateway({ doc, version: "3.0", operations: ops(["GET /a"]) });
    const out = JSON.parse(wiredDefinition(r, (fn) => fn));
    expect(Object.keys(out.components.schemas)).toEqual(["MyModel"]);
    expect(out.paths["/a"].get.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/MyModel");
    expect(out.paths["/b"]).toBeUndefined();
    expect(out.paths["/a"].get["x-amazon-apigateway-integration"].uri).toBe("ns_op0");
  });

  it("writes sorted keys, the same bytes whatever the input order", () => {
    expect(stableJson({ b: 1, a: { d: 2, c: [{ f: 1, e: 2 }] } })).toBe(stableJson({ a: { c: [{ e: 2, f: 1 }], d: 2 }, b: 1 }));
    const a = transformForApiGateway({ doc: { openapi: "3.0.3", paths: { "/x": { get: { responses: {} } }, "/a": { get: { responses: {} } } } }, version: "3.0", operations: ops(["GET /x", "GET /a"]) });
    const b = transformForApiGateway({ doc: { paths: { "/a": { get: { responses: {} } }, "/x": { get: { responses: {} } } }, openapi: "3.0.3" }, version: "3.0", operations: ops(["GET /x", "GET /a"]) });
    expect(wiredDefinition(a, (fn) => fn)).toBe(wiredDefinition(b, (fn) => fn));
    expect(stableJson(a.definition)).toBe(stableJson(b.definition));
  });
});
