import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RawRequest } from "../../src/local/event.js";
import { schemaProblem } from "../../src/serve/schemaCheck.js";
import { validateRequest, validatorOf } from "../../src/serve/validate.js";

const DOC: Record<string, unknown> = {
  openapi: "3.0.3",
  components: { schemas: { Name: { type: "string", minLength: 1 } } },
};
const check = (schema: unknown, value: unknown) => schemaProblem(DOC, schema, value);

describe("serve's body check (JSON Schema draft 4, as API Gateway's models)", () => {
  it("type: one or a list, number takes integers, integer refuses fractions", () => {
    expect(check({ type: "string" }, 1)).toBe("body should be string");
    expect(check({ type: "number" }, 3)).toBeUndefined();
    expect(check({ type: "integer" }, 3.5)).toBe("body should be integer");
    expect(check({ type: ["string", "null"] }, null)).toBeUndefined();
    expect(check({ type: ["string", "null"] }, 2)).toBe("body should be string or null");
    expect(check({ type: "string", nullable: true }, null)).toBeUndefined();
    expect(check({ type: "string" }, null)).toBe("body should be string");
  });

  it("enum compares values, not key order", () => {
    expect(check({ enum: ["a", "b"] }, "c")).toBe("body is not one of the allowed values");
    expect(check({ enum: [{ x: 1, y: 2 }] }, { y: 2, x: 1 })).toBeUndefined();
  });

  it("required, properties, additionalProperties (false or a schema), patternProperties", () => {
    const s = { type: "object", required: ["name"], properties: { name: { $ref: "#/components/schemas/Name" } }, additionalProperties: false };
    expect(check(s, {})).toBe("name is required");
    expect(check(s, { name: "" })).toBe("name is too short");
    expect(check(s, { name: "n", extra: 1 })).toBe("extra is not allowed");
    expect(check(s, { name: "n" })).toBeUndefined();
    expect(check({ type: "object", additionalProperties: { type: "integer" } }, { a: 1, b: "x" })).toBe("b should be integer");
    const pp = { type: "object", patternProperties: { "^x-": { type: "string" } }, additionalProperties: false };
    expect(check(pp, { "x-a": "ok" })).toBeUndefined();
    expect(check(pp, { "x-a": 1 })).toBe("x-a should be string");
    expect(check(pp, { other: "v" })).toBe("other is not allowed");
  });

  it("names Object.prototype has (constructor, toString, __proto__) are plain property names", () => {
    const s = { type: "object", required: ["constructor"], properties: { name: { type: "string" } }, additionalProperties: false };
    expect(check(s, {})).toBe("constructor is required");
    expect(check({ type: "object", properties: {}, additionalProperties: false }, JSON.parse('{"toString": 1}'))).toBe("toString is not allowed");
    expect(check({ type: "object", properties: {}, additionalProperties: false }, JSON.parse('{"__proto__": 1}'))).toBe("__proto__ is not allowed");
    expect(check({ dependencies: { valueOf: ["other"] } }, { a: 1 })).toBeUndefined();
    expect(check({ dependencies: { a: ["hasOwnProperty"] } }, { a: 1 })).toBe("hasOwnProperty is required with a");
  });

  it("property: required and additionalProperties: false follow the body's own keys, whatever their names", () => {
    const names = fc.oneof(fc.constantFrom("constructor", "toString", "__proto__", "valueOf", "hasOwnProperty", "isPrototypeOf", "a", ""), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.uniqueArray(names, { maxLength: 4 }), fc.uniqueArray(names, { maxLength: 4 }), fc.uniqueArray(names, { maxLength: 4 }), (required, declared, present) => {
        // JSON.parse keeps a "__proto__" key as an own property, as a request body would have it.
        const text = `{${present.map((k) => `${JSON.stringify(k)}:1`).join(",")}}`;
        const value = JSON.parse(text) as Record<string, unknown>;
        const schema = { type: "object", required, properties: Object.fromEntries(declared.map((k) => [k, { type: "integer" }])), additionalProperties: false };
        const problem = check(JSON.parse(JSON.stringify(schema)), value);
        const missing = required.find((r) => !present.includes(r));
        const extra = Object.keys(value).find((k) => !declared.includes(k));
        if (missing !== undefined) expect(problem).toBe(`${missing} is required`);
        else if (extra !== undefined) expect(problem).toBe(`${extra} is not allowed`);
        else expect(problem).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it("minProperties, maxProperties, dependencies", () => {
    expect(check({ minProperties: 1 }, {})).toBe("body has too few properties");
    expect(check({ maxProperties: 1 }, { a: 1, b: 2 })).toBe("body has too many properties");
    expect(check({ dependencies: { card: ["billing"] } }, { card: "c" })).toBe("billing is required with card");
    expect(check({ dependencies: { card: { required: ["cvv"] } } }, { card: "c" })).toBe("cvv is required");
    expect(check({ dependencies: { card: ["billing"] } }, { other: 1 })).toBeUndefined();
  });

  it("strings: lengths in code points, pattern", () => {
    expect(check({ maxLength: 2 }, "😀😀")).toBeUndefined();
    expect(check({ maxLength: 1 }, "😀😀")).toBe("body is too long");
    expect(check({ pattern: "^[a-z]+$" }, "abc1")).toBe("body does not match ^[a-z]+$");
  });

  it("numbers: minimum, maximum, exclusiveMaximum (draft 4 boolean), multipleOf; exclusiveMinimum not enforced, as API Gateway", () => {
    expect(check({ minimum: 1 }, 0)).toBe("body is below 1");
    expect(check({ maximum: 10 }, 10)).toBeUndefined();
    expect(check({ maximum: 10, exclusiveMaximum: true }, 10)).toBe("body is above 10 (exclusive)");
    expect(check({ multipleOf: 0.1 }, 0.3)).toBeUndefined();
    expect(check({ multipleOf: 5 }, 12)).toBe("body is not a multiple of 5");
    expect(check({ minimum: 1, exclusiveMinimum: true }, 1)).toBeUndefined();
  });

  it("arrays: items (one schema or a tuple with additionalItems), uniqueItems; minItems/maxItems not enforced, as API Gateway", () => {
    expect(check({ items: { type: "integer" } }, [1, "2"])).toBe("[1] should be integer");
    expect(check({ items: [{ type: "string" }, { type: "integer" }], additionalItems: false }, ["a", 1, true])).toBe("[2] is not allowed");
    expect(check({ items: [{ type: "string" }], additionalItems: { type: "boolean" } }, ["a", true, 3])).toBe("[2] should be boolean");
    expect(check({ uniqueItems: true }, [{ a: 1, b: 2 }, { b: 2, a: 1 }])).toBe("body has duplicate items");
    expect(check({ uniqueItems: true }, [1, 2])).toBeUndefined();
    expect(check({ minItems: 2, maxItems: 3 }, [1])).toBeUndefined();
    expect(check({ minItems: 2, maxItems: 3 }, [1, 2, 3, 4])).toBeUndefined();
  });

  it("allOf, anyOf, oneOf (exactly one), not", () => {
    expect(check({ allOf: [{ required: ["a"] }, { required: ["b"] }] }, { a: 1 })).toBe("b is required");
    expect(check({ anyOf: [{ type: "string" }, { type: "integer" }] }, true)).toBe("body matches none of anyOf");
    expect(check({ oneOf: [{ type: "integer" }, { type: "number" }] }, 3)).toBe("body matches 2 of oneOf (exactly one must match)");
    expect(check({ oneOf: [{ type: "integer" }, { type: "string" }] }, 3)).toBeUndefined();
    expect(check({ not: { type: "string" } }, "s")).toBe("body matches the schema under not");
    expect(check({ not: { type: "string" } }, 1)).toBeUndefined();
  });

  it("does not check format (unconfirmed on AWS)", () => {
    expect(check({ type: "string", format: "email" }, "not an email")).toBeUndefined();
  });
});

function request(o: Partial<RawRequest> & { json?: unknown }): RawRequest {
  const body = o.json === undefined ? (o.body ?? Buffer.alloc(0)) : Buffer.from(JSON.stringify(o.json));
  return { method: "POST", path: "/x", query: o.query ?? [], headers: o.headers ?? (o.json === undefined ? [] : [["Content-Type", "application/json"]]), body };
}

describe("serve's request validator", () => {
  const item = { parameters: [{ name: "tag", in: "query", required: true }] };
  const op = {
    parameters: [{ name: "X-Trace", in: "header", required: true }],
    requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["name"] } }, "text/plain": { schema: { type: "string" } } } },
  };
  const headers: Array<[string, string]> = [["x-trace", "t"], ["Content-Type", "application/json"]];

  it("wants required query and header parameters present and not blank", () => {
    expect(validateRequest(DOC, item, op, request({ headers, json: { name: "n" } }))).toEqual({ message: "Missing required request parameters: [tag]" });
    expect(validateRequest(DOC, item, op, request({ query: [["tag", ""]], headers: [["X-Trace", " "]], body: Buffer.from("{}") }))).toEqual({ message: "Missing required request parameters: [tag, X-Trace]" });
    expect(validateRequest(DOC, item, op, { ...request({ query: [["tag", "a"]], json: { name: "n" } }), headers })).toBeUndefined();
  });

  it("checks the body against the model of its Content-Type (application/json when none), and not a Content-Type without one", () => {
    const ok = { query: [["tag", "a"]] as Array<[string, string]> };
    const bad = Buffer.from(JSON.stringify({ id: 1 }));
    expect(validateRequest(DOC, item, op, { ...request(ok), headers, body: bad })).toMatchObject({ message: "Invalid request body", detail: expect.stringContaining("name is required") });
    expect(validateRequest(DOC, item, op, { ...request(ok), headers: [["x-trace", "t"]], body: bad })).toMatchObject({ message: "Invalid request body" });
    expect(validateRequest(DOC, item, op, { ...request(ok), headers: [["x-trace", "t"], ["Content-Type", "application/xml"]], body: bad })).toBeUndefined();
    expect(validateRequest(DOC, item, op, { ...request(ok), headers, body: Buffer.from("{not json") })).toMatchObject({ message: "Invalid request body", detail: expect.stringContaining("not JSON") });
    expect(validateRequest(DOC, item, op, { ...request(ok), headers })).toEqual({ message: "Invalid request body" });
  });

  it("follows the spec's own validator: params-only skips the body, body-only the parameters, an own definition wins", () => {
    const bad = { ...request({}), headers: [["Content-Type", "application/json"]] as Array<[string, string]>, body: Buffer.from("{}") };
    expect(validateRequest(DOC, item, { ...op, "x-amazon-apigateway-request-validator": "params-only" }, { ...bad, query: [["tag", "a"]], headers: [...bad.headers, ["x-trace", "t"]] })).toBeUndefined();
    expect(validateRequest(DOC, item, { ...op, "x-amazon-apigateway-request-validator": "body-only" }, bad)).toMatchObject({ message: "Invalid request body" });
    const doc = { ...DOC, "x-amazon-apigateway-request-validator": "none", "x-amazon-apigateway-request-validators": { none: { validateRequestBody: false, validateRequestParameters: false } } };
    expect(validatorOf(doc, op)).toEqual({ body: false, params: false });
    expect(validateRequest(doc, item, op, bad)).toBeUndefined();
    expect(validatorOf(doc, { "x-amazon-apigateway-request-validator": "all" })).toEqual({ body: true, params: true });
  });
});
