import { describe, expect, it } from "vitest";
import { buildModel } from "../../src/model/build.js";
import type { LoadedSpec } from "../../src/spec/load.js";

function model(doc: Record<string, unknown>) {
  const spec: LoadedSpec = { doc, source: { location: "/tmp/spec.yaml", isUrl: false, text: "", bytes: new Uint8Array() }, version: "3.0", warnings: [] };
  return buildModel(spec);
}

describe("model", () => {
  const doc = {
    openapi: "3.0.3",
    info: { title: "T", version: "1" },
    servers: [{ url: "https://api.example.com" }],
    components: {
      parameters: { Limit: { name: "limit", in: "query", schema: { type: "integer" } } },
      requestBodies: { Thing: { required: true, content: { "text/plain": {}, "application/vnd.api+json": {} } } },
      pathItems: {},
    },
    paths: {
      "/things/{id}": {
        parameters: [
          { name: "id", in: "path", schema: { type: "string" }, description: "from the path item" },
          { name: "verbose", in: "query", schema: { type: "boolean" } },
        ],
        get: {
          operationId: "getThing",
          parameters: [{ name: "verbose", in: "query", required: true, schema: { type: "boolean" } }, { $ref: "#/components/parameters/Limit" }],
          responses: { "200": { description: "ok" } },
        },
        put: { requestBody: { $ref: "#/components/requestBodies/Thing" }, responses: { default: { description: "x" } }, servers: [{ url: "https://put.example.com" }] },
      },
      "/alias": { $ref: "#/paths/~1things~1{id}" },
    },
  };

  it("merges path-level parameters with operation-level ones; the operation wins", () => {
    const get = model(doc).endpoints.find((e) => e.operationId === "getThing")!;
    expect(get.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual(["path:id:true", "query:verbose:true", "query:limit:false"]);
    expect(get.parameters[0].description).toBe("from the path item");
  });

  it("follows $refs to parameters, request bodies and path items, and prefers a JSON body", () => {
    const m = model(doc);
    const put = m.endpoints.find((e) => e.method === "put" && e.path === "/things/{id}")!;
    expect(put.requestBody).toEqual({ contentType: "application/vnd.api+json", contentTypes: ["text/plain", "application/vnd.api+json"], required: true, description: undefined, example: {} });
    expect(put.servers?.[0].url).toBe("https://put.example.com");
    expect(put.responses).toEqual(["default"]);
    expect(m.endpoints.filter((e) => e.path === "/alias").map((e) => e.method)).toEqual(["get", "put"]);
  });
});
