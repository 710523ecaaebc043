import { describe, expect, it } from "vitest";
import { lintDocument } from "../../src/kinds/api/lint/index.js";
import { RULES } from "../../src/kinds/api/lint/rules.js";
import { circularModels } from "../../src/kinds/api/lint/cycles.js";

/** A spec API Gateway imports without a warning. */
function clean(): Record<string, any> {
  return {
    openapi: "3.0.3",
    info: { title: "Clean", version: "1" },
    // Open on purpose, said explicitly (else open-operation warns).
    security: [],
    paths: {
      "/pets": {
        get: {
          operationId: "listPets",
          parameters: [{ name: "page.size", in: "query", schema: { type: "integer" } }],
          responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } } } },
        },
      },
      "/pets/{petId}": {
        get: { operationId: "getPet", parameters: [{ name: "petId", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "ok" } } },
      },
      "/files/{proxy+}": { get: { operationId: "getFile", responses: { "200": { description: "ok" } } } },
    },
    components: {
      schemas: {
        Pet: { type: "object", properties: { id: { type: "string" }, owner: { $ref: "#/components/schemas/Owner" } } },
        Owner: { type: "object", properties: { name: { type: "string", nullable: true } } },
      },
    },
  };
}

const lint = (doc: Record<string, unknown>, version = "3.0", size = 1000) => lintDocument(doc, version, size);

/** One way to break each rule, applied to the clean spec. */
const BREAKERS: Record<string, { version?: string; size?: number; breakIt: (d: Record<string, any>) => void; pointer: string }> = {
  "openapi-31": { version: "3.1", breakIt: (d) => (d.openapi = "3.1.0"), pointer: "#/openapi" },
  "type-list": { breakIt: (d) => (d.components.schemas.Owner.properties.name = { type: ["string", "integer"] }), pointer: "#/components/schemas/Owner/properties/name/type" },
  "parameter-name": { breakIt: (d) => (d.paths["/pets"].get.parameters[0].name = "filter[a]"), pointer: "#/paths/~1pets/get/parameters/0/name" },
  "circular-model": { breakIt: (d) => (d.components.schemas.Owner.properties.pets = { type: "array", items: { $ref: "#/components/schemas/Pet" } }), pointer: "#/components/schemas/Owner" },
  "model-name": { breakIt: (d) => (d.components.schemas["my_pet"] = { type: "object" }), pointer: "#/components/schemas/my_pet" },
  "default-response": { breakIt: (d) => (d.paths["/pets"].get.responses.default = { description: "err" }), pointer: "#/paths/~1pets/get/responses/default" },
  "response-range": { breakIt: (d) => (d.paths["/pets"].get.responses["4XX"] = { description: "err" }), pointer: "#/paths/~1pets/get/responses/4XX" },
  "cookie-parameter": { breakIt: (d) => d.paths["/pets"].get.parameters.push({ name: "sid", in: "cookie", schema: { type: "string" } }), pointer: "#/paths/~1pets/get/parameters/1" },
  "form-data": { version: "2.0", breakIt: (d) => d.paths["/pets"].get.parameters.push({ name: "file", in: "formData", type: "file" }), pointer: "#/paths/~1pets/get/parameters/1" },
  "trace-method": { breakIt: (d) => (d.paths["/pets"].trace = { responses: { "200": { description: "ok" } } }), pointer: "#/paths/~1pets/trace" },
  discriminator: { breakIt: (d) => (d.components.schemas.Pet.discriminator = { propertyName: "kind" }), pointer: "#/components/schemas/Pet/discriminator" },
  "unsupported-keyword": { breakIt: (d) => (d.components.schemas.Pet.properties.id.readOnly = true), pointer: "#/components/schemas/Pet/properties/id/readOnly" },
  "path-segment": { breakIt: (d) => (d.paths["/pets/a{id}"] = { get: { responses: { "200": { description: "ok" } } } }), pointer: "#/paths/~1pets~1a{id}" },
  "sibling-path-variable": { breakIt: (d) => (d.paths["/pets/{id}/toys"] = { get: { responses: { "200": { description: "ok" } } } }), pointer: "#/paths/~1pets~1{petId}" },
  "duplicate-operation-id": { breakIt: (d) => (d.paths["/pets/{petId}"].get.operationId = "listPets"), pointer: "#/paths/~1pets~1{petId}/get/operationId" },
  "body-size": { size: 7 * 1024 * 1024, breakIt: () => {}, pointer: "#" },
  "security-scheme": {
    breakIt: (d) => {
      d.components.securitySchemes = { digest: { type: "http", scheme: "digest" } };
      d.paths["/pets"].get.security = [{ digest: [] }];
    },
    pointer: "#/paths/~1pets/get/security",
  },
  "open-operation": { breakIt: (d) => delete d.security, pointer: "#/paths/~1pets/get" },
  "resource-count": { breakIt: (d) => { for (let i = 0; i < 300; i++) d.paths[`/r${i}`] = { get: { responses: { "200": { description: "ok" } } } }; }, pointer: "#/paths" },
};

describe("picofun lint rules", () => {
  it("a clean spec passes every rule", () => {
    const report = lint(clean());
    expect(report.findings).toEqual([]);
    expect(report.errors).toBe(0);
  });

  it("every rule has a breaking fixture below", () => {
    expect(Object.keys(BREAKERS).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  for (const rule of RULES) {
    it(`${rule.id} (${rule.severity}) reports its fixture with a pointer and a fix`, () => {
      const b = BREAKERS[rule.id];
      const doc = clean();
      b.breakIt(doc);
      const report = lint(doc, b.version, b.size);
      const mine = report.findings.filter((f) => f.rule === rule.id);
      expect(mine.length, JSON.stringify(report.findings)).toBeGreaterThan(0);
      expect(mine.map((f) => f.pointer)).toContain(b.pointer);
      for (const f of mine) {
        expect(f.severity).toBe(rule.severity);
        expect(f.fix.length).toBeGreaterThan(5);
        expect(f.message).not.toMatch(/\n/);
      }
      expect(report.errors).toBe(report.findings.filter((f) => f.severity === "error").length);
    });
  }

  it("a self-referencing model is circular, a shared one is not", () => {
    const doc = clean();
    doc.components.schemas.Node = { type: "object", properties: { next: { $ref: "#/components/schemas/Node" } } };
    expect(lint(doc).findings.map((f) => f.pointer)).toEqual(["#/components/schemas/Node"]);
  });

  it("a 10,000-long $ref cycle is found in linear time; models that only point into it are not circular", () => {
    const doc = clean();
    for (let i = 0; i < 10_000; i++) doc.components.schemas[`C${i}`] = { $ref: `#/components/schemas/C${(i + 1) % 10_000}` };
    doc.components.schemas.Into = { $ref: "#/components/schemas/C5" };
    const found = circularModels(doc);
    expect(found).toHaveLength(10_000);
    expect(found).not.toContain("Into");
  });
});
