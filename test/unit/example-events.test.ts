import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exampleEvent } from "../../src/events/build.js";
import { docDeref, sampleFromSchema } from "../../src/events/sample.js";
import { buildModel } from "../../src/model/build.js";
import { schemaProblem } from "../../src/serve/schemaCheck.js";
import type { LoadedSpec } from "../../src/spec/load.js";

type Obj = Record<string, unknown>;
const HOSTILE = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "", "a b", "x-y", "ü"];

function withKeys(entries: Array<[string, unknown]>): Obj {
  const out: Obj = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

function model(doc: Obj) {
  const spec: LoadedSpec = { doc, source: { location: "/tmp/spec.yaml", isUrl: false, text: "", bytes: new Uint8Array() }, version: "3.0", warnings: [] };
  return buildModel(spec);
}

const name = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6 }));
const bounds = fc.tuple(fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined }), fc.nat(40));

const { schema } = fc.letrec<{ schema: Obj }>((tie) => ({
  schema: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.tuple(fc.nat(12), fc.nat(6), fc.option(fc.constantFrom("date-time", "date", "email", "uuid", "uri", "ipv4"), { nil: undefined })).map(([min, extra, format]) => ({ type: "string", minLength: min, maxLength: min + extra, ...(format ? { format } : {}) })),
    bounds.map(([lo, span]) => ({ type: "integer", ...(lo !== undefined ? { minimum: lo, maximum: lo + span } : {}) })),
    fc.tuple(bounds, fc.boolean()).map(([[lo, span], exclusive]) => ({ type: "number", ...(lo !== undefined ? { minimum: lo, maximum: lo + span + 1, exclusiveMinimum: exclusive } : {}) })),
    fc.record({ type: fc.constant("boolean"), default: fc.boolean() }),
    fc.constantFrom(...HOSTILE).map((v) => ({ type: "string", enum: [v, "other"] })),
    fc.tuple(tie("schema"), fc.nat(2), fc.nat(2)).map(([items, min, extra]) => ({ type: "array", items, minItems: min, maxItems: min + extra })),
    fc.tuple(fc.uniqueArray(fc.tuple(name, tie("schema")), { maxLength: 4, selector: (e) => e[0] }), fc.boolean(), fc.boolean()).map(([props, requireAll, closed]) => ({
      type: "object",
      properties: withKeys(props),
      ...(requireAll && props.length ? { required: props.map((p) => p[0]) } : {}),
      ...(closed ? { additionalProperties: false } : {}),
    })),
    tie("schema").map((s) => ({ anyOf: [s, { type: "string" }] })),
  ),
}));

/** Required properties as own properties (the schema check's `in` would also accept inherited ones such as "constructor"). */
function missingRequired(s: Obj, value: unknown): string | undefined {
  if (Array.isArray(s.anyOf)) return undefined;
  if (s.type === "array" && Array.isArray(value)) {
    for (const v of value) {
      const m = missingRequired(s.items as Obj, v);
      if (m) return m;
    }
  }
  if (s.type === "object" && value && typeof value === "object") {
    for (const r of (s.required as string[] | undefined) ?? []) if (!Object.hasOwn(value, r)) return r;
    for (const [k, sub] of Object.entries(s.properties as Obj)) {
      if (Object.hasOwn(value, k)) {
        const m = missingRequired(sub as Obj, (value as Obj)[k]);
        if (m) return m;
      }
    }
  }
  return undefined;
}

describe("the example generator (README and picofun events)", () => {
  it("property: the value made from any schema validates against it, after a trip through JSON", () => {
    fc.assert(
      fc.property(schema, (s) => {
        const doc: Obj = { components: { schemas: { S: s } } };
        const value = JSON.parse(JSON.stringify(sampleFromSchema(docDeref(doc), { $ref: "#/components/schemas/S" }) ?? null));
        expect(schemaProblem(doc, s, value)).toBeUndefined();
        expect(missingRequired(s, value)).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  it("property: the client event keeps every parameter's name (__proto__ and constructor included) and is valid for its schema", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name.filter((n) => n !== ""), fc.constantFrom("path", "query", "header"), schema), { minLength: 1, maxLength: 6, selector: (p) => `${p[1]}:${p[0]}` }), (params) => {
        const doc: Obj = {
          openapi: "3.0.3",
          info: { title: "T", version: "1" },
          paths: { "/x": { get: { parameters: params.map(([n, where, s]) => ({ name: n, in: where, required: where === "path", schema: s })), responses: {} } } },
        };
        const [endpoint] = model(doc).endpoints;
        const event = JSON.parse(JSON.stringify(exampleEvent(endpoint))) as Record<string, Obj>;
        for (const [n, where, s] of params) {
          const box = event[where === "header" ? "headers" : where];
          expect(Object.hasOwn(box, n), `${where} ${JSON.stringify(n)}`).toBe(true);
          expect(schemaProblem(doc, s, box[n])).toBeUndefined();
        }
      }),
      { numRuns: 200 },
    );
  });

  it("property: a model is built from any mangled operation without an exception (examples are best effort)", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, withNullPrototype: true }), fc.anything({ maxDepth: 4 }), (parameter, body) => {
        const doc: Obj = { openapi: "3.0.3", info: { title: "T", version: "1" }, paths: { "/x": { post: { parameters: [parameter, { name: "p", in: "query", schema: parameter }], requestBody: { content: { "application/json": { schema: body } } }, responses: {} } } } };
        const [endpoint] = model(doc).endpoints;
        JSON.stringify(exampleEvent(endpoint));
      }),
      { numRuns: 300 },
    );
  });

  it("examples first, then defaults, then the schema; a body that is an array is an array", () => {
    const doc: Obj = {
      openapi: "3.0.3",
      info: { title: "T", version: "1" },
      paths: {
        "/a": {
          post: {
            parameters: [
              { name: "active", in: "query", schema: { type: "boolean", default: true } },
              { name: "limit", in: "query", example: 25, schema: { type: "integer", default: 10 } },
              { name: "receiver", in: "query", schema: { type: "string" } },
            ],
            requestBody: { content: { "application/json": { schema: { type: "array", items: { type: "object", required: ["labels"], properties: { labels: { type: "object" } } } } } } },
            responses: {},
          },
        },
      },
    };
    const event = exampleEvent(model(doc).endpoints[0]);
    expect(JSON.parse(JSON.stringify(event))).toEqual({ query: { active: true, limit: 25, receiver: "receiver-1" }, payload: [{ labels: {} }] });
  });
});
