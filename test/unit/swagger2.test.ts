import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { convertSwagger2 } from "../../src/spec/swagger2/index.js";
import { serversFrom } from "../../src/spec/swagger2/servers.js";
import { UserError } from "../../src/util/errors.js";

type Obj = Record<string, any>;

function convert(doc: Obj): { out: Obj; warnings: string[] } {
  const warnings: string[] = [];
  const out = convertSwagger2({ swagger: "2.0", info: { title: "t", version: "1" }, paths: {}, ...doc }, "spec.yaml", warnings) as Obj;
  return { out, warnings };
}

describe("Swagger 2.0 servers", () => {
  it("host + basePath + schemes become servers, https first", () => {
    expect(serversFrom({ host: "api.example.com", basePath: "/v2", schemes: ["http", "https"] }, [])).toEqual([
      { url: "https://api.example.com/v2" },
      { url: "http://api.example.com/v2" },
    ]);
  });
  it("no schemes means https; a basePath without a slash gets one; trailing slashes go", () => {
    expect(serversFrom({ host: "api.example.com:8443", basePath: "v1/" }, [])).toEqual([{ url: "https://api.example.com:8443/v1" }]);
  });
  it("a host written as a URL gives its scheme, with a warning", () => {
    const warnings: string[] = [];
    expect(serversFrom({ host: "http://api.example.com/", basePath: "/v1" }, warnings)).toEqual([{ url: "http://api.example.com/v1" }]);
    expect(warnings).toHaveLength(1);
  });
  it("no host gives a relative server (basePath) or none at all", () => {
    expect(serversFrom({ basePath: "/api" }, [])).toEqual([{ url: "/api" }]);
    expect(serversFrom({}, [])).toEqual([]);
  });
  it("operation-level schemes become an operation server", () => {
    const { out } = convert({
      host: "h.example.com",
      schemes: ["https"],
      paths: { "/x": { get: { schemes: ["http"], responses: { 200: { description: "ok" } } } } },
    });
    expect(out.paths["/x"].get.servers).toEqual([{ url: "http://h.example.com" }]);
  });
});

describe("Swagger 2.0 conversion", () => {
  it("moves definitions/parameters/responses to components and rewrites every internal $ref", () => {
    const { out } = convert({
      definitions: { Pet: { type: "object", properties: { parent: { $ref: "#/definitions/Pet" } } } },
      parameters: { limit: { name: "limit", in: "query", type: "integer" } },
      responses: { NotFound: { description: "nf", schema: { $ref: "#/definitions/Pet" } } },
      produces: ["application/json"],
      paths: {
        "/pets": {
          get: {
            parameters: [{ $ref: "#/parameters/limit" }],
            responses: { 200: { description: "ok", schema: { $ref: "#/definitions/Pet" } }, 404: { $ref: "#/responses/NotFound" } },
          },
        },
      },
    });
    expect(out.openapi).toBe("3.0.3");
    expect(out.components.schemas.Pet.properties.parent.$ref).toBe("#/components/schemas/Pet");
    expect(out.components.parameters.limit).toEqual({ name: "limit", in: "query", schema: { type: "integer" } });
    expect(out.components.responses.NotFound.content["application/json"].schema.$ref).toBe("#/components/schemas/Pet");
    const get = out.paths["/pets"].get;
    expect(get.parameters).toEqual([{ $ref: "#/components/parameters/limit" }]);
    expect(get.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/Pet");
    expect(get.responses["404"].$ref).toBe("#/components/responses/NotFound");
    expect(JSON.stringify(out)).not.toMatch(/#\/definitions\//);
  });

  it("a body parameter (inline or by $ref) becomes a requestBody for every consumes type", () => {
    const { out } = convert({
      consumes: ["application/json", "application/xml"],
      parameters: { pet: { name: "pet", in: "body", required: true, description: "the pet", schema: { $ref: "#/definitions/Pet" } } },
      definitions: { Pet: { type: "object" } },
      paths: {
        "/a": { post: { parameters: [{ $ref: "#/parameters/pet" }], responses: {} } },
        "/b": { put: { consumes: ["text/plain"], parameters: [{ name: "b", in: "body", schema: { type: "string" } }], responses: {} } },
      },
    });
    const a = out.paths["/a"].post;
    expect(a.parameters).toBeUndefined();
    expect(a.requestBody).toEqual({
      description: "the pet",
      required: true,
      content: {
        "application/json": { schema: { $ref: "#/components/schemas/Pet" } },
        "application/xml": { schema: { $ref: "#/components/schemas/Pet" } },
      },
    });
    expect(out.components.parameters).toBeUndefined();
    expect(out.paths["/b"].put.requestBody.content).toEqual({ "text/plain": { schema: { type: "string" } } });
    // No responses: a default one keeps the operation valid 3.0.
    expect(a.responses).toEqual({ default: { description: "" } });
  });

  it("formData parameters become one object schema; a file makes it multipart", () => {
    const { out } = convert({
      paths: {
        "/form": {
          post: {
            parameters: [
              { name: "name", in: "formData", type: "string", required: true },
              { name: "age", in: "formData", type: "integer", description: "years" },
            ],
            responses: {},
          },
        },
        "/upload": { post: { parameters: [{ name: "file", in: "formData", type: "file" }], responses: {} } },
      },
    });
    expect(out.paths["/form"].post.requestBody).toEqual({
      required: true,
      content: {
        "application/x-www-form-urlencoded": {
          schema: { type: "object", properties: { name: { type: "string" }, age: { type: "integer", description: "years" } }, required: ["name"] },
        },
      },
    });
    expect(out.paths["/upload"].post.requestBody.content["multipart/form-data"].schema.properties.file).toEqual({ type: "string", format: "binary" });
  });

  it("collectionFormat maps to style/explode (csv is the 2.0 default), tsv warns", () => {
    const arr = (name: string, where: string, collectionFormat?: string) => ({ name, in: where, type: "array", items: { type: "string" }, ...(collectionFormat ? { collectionFormat } : {}) });
    const { out, warnings } = convert({
      paths: {
        "/x/{p}": {
          get: {
            parameters: [arr("d", "query"), arr("m", "query", "multi"), arr("s", "query", "ssv"), arr("pi", "query", "pipes"), arr("t", "query", "tsv"), arr("p", "path"), arr("h", "header", "csv")],
            responses: {},
          },
        },
      },
    });
    const style = Object.fromEntries(out.paths["/x/{p}"].get.parameters.map((p: Obj) => [p.name, [p.style, p.explode]]));
    expect(style).toEqual({
      d: ["form", false],
      m: ["form", true],
      s: ["spaceDelimited", false],
      pi: ["pipeDelimited", false],
      t: ["form", false],
      p: ["simple", undefined],
      h: ["simple", undefined],
    });
    expect(out.paths["/x/{p}"].get.parameters.find((p: Obj) => p.name === "p").required).toBe(true);
    expect(warnings.join("\n")).toMatch(/"t": collectionFormat tsv/);
  });

  it("path-level parameters stay on the path, body ones move into each operation unless overridden", () => {
    const { out } = convert({
      paths: {
        "/x/{id}": {
          parameters: [{ name: "id", in: "path", type: "string" }, { name: "b", in: "body", schema: { type: "object" } }],
          put: { responses: {} },
          post: { parameters: [{ name: "b", in: "body", schema: { type: "string" } }], responses: {} },
        },
      },
    });
    const item = out.paths["/x/{id}"];
    expect(item.parameters).toBeUndefined();
    expect(item.put.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
    expect(item.put.requestBody.content["application/json"].schema).toEqual({ type: "object" });
    expect(item.post.requestBody.content["application/json"].schema).toEqual({ type: "string" });
  });

  it("securityDefinitions become securitySchemes (basic, apiKey, the four oauth2 flows)", () => {
    const { out, warnings } = convert({
      securityDefinitions: {
        basic: { type: "basic", description: "d" },
        key: { type: "apiKey", in: "header", name: "X-Key" },
        imp: { type: "oauth2", flow: "implicit", authorizationUrl: "https://a", scopes: { r: "read" } },
        pw: { type: "oauth2", flow: "password", tokenUrl: "https://t", scopes: {} },
        app: { type: "oauth2", flow: "application", tokenUrl: "https://t", scopes: {} },
        code: { type: "oauth2", flow: "accessCode", authorizationUrl: "https://a", tokenUrl: "https://t", scopes: {} },
        odd: { type: "kerberos" },
      },
      security: [{ key: [] }],
    });
    const s = out.components.securitySchemes;
    expect(s.basic).toEqual({ type: "http", scheme: "basic", description: "d" });
    expect(s.key).toEqual({ type: "apiKey", in: "header", name: "X-Key" });
    expect(s.imp.flows).toEqual({ implicit: { authorizationUrl: "https://a", scopes: { r: "read" } } });
    expect(Object.keys(s.pw.flows)).toEqual(["password"]);
    expect(Object.keys(s.app.flows)).toEqual(["clientCredentials"]);
    expect(s.code.flows.authorizationCode).toEqual({ authorizationUrl: "https://a", tokenUrl: "https://t", scopes: {} });
    expect(s.odd).toBeUndefined();
    expect(warnings.join("\n")).toMatch(/"odd": unknown type "kerberos"/);
    expect(out.security).toEqual([{ key: [] }]);
  });

  it("2.0-only schema keywords: type file, x-nullable, string discriminator; examples per media type", () => {
    const { out } = convert({
      produces: ["application/json", "text/csv"],
      definitions: { A: { type: "object", discriminator: "kind", properties: { n: { type: "string", "x-nullable": true } } } },
      paths: {
        "/f": { get: { responses: { 200: { description: "file", schema: { type: "file" }, examples: { "text/csv": "a,b" } } } } },
      },
    });
    expect(out.components.schemas.A.discriminator).toEqual({ propertyName: "kind" });
    expect(out.components.schemas.A.properties.n).toEqual({ type: "string", nullable: true });
    const content = out.paths["/f"].get.responses["200"].content;
    expect(content["application/json"].schema).toEqual({ type: "string", format: "binary" });
    expect(content["text/csv"].example).toBe("a,b");
  });

  it("a produces type named like an Object.prototype member takes no example from the prototype", () => {
    const { out } = convert({
      produces: ["constructor", "toString"],
      paths: { "/f": { get: { responses: { 200: { description: "x", schema: { type: "string" }, examples: { toString: "t" } } } } } },
    });
    const content = out.paths["/f"].get.responses["200"].content;
    expect(Object.hasOwn(content.constructor, "example")).toBe(false);
    expect(content.toString.example).toBe("t");
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it("media types and form fields named like Object.prototype members stay own keys; __proto__ is refused with where it is (fast-check)", () => {
    const prototypeNames = ["constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "isPrototypeOf"];
    const media = ["application/json", "text/csv", "application/x-www-form-urlencoded", "multipart/form-data"];
    const name = fc.oneof(fc.constantFrom(...prototypeNames, ...media, "__proto__"), fc.string({ maxLength: 6 }));
    // Example keys never spell __proto__: such a key in a document is refused before the conversion (spec/protoKeys.ts).
    const exampleKey = fc.oneof(fc.constantFrom(...prototypeNames, ...media), fc.string({ maxLength: 6 })).filter((k) => k !== "__proto__");
    const plainEverywhere = (value: unknown): boolean => {
      if (!value || typeof value !== "object") return true;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== Array.prototype) return false;
      return Object.values(value).every(plainEverywhere);
    };
    fc.assert(
      fc.property(
        fc.array(name, { maxLength: 3 }),
        fc.option(fc.array(name, { maxLength: 3 }), { nil: undefined }),
        fc.array(name, { maxLength: 3 }),
        fc.array(name, { maxLength: 3 }),
        fc.dictionary(exampleKey, fc.string(), { maxKeys: 4 }),
        (rootProduces, opProduces, consumes, formNames, examples) => {
          const op: Obj = {
            parameters: formNames.map((n) => ({ in: "formData", name: n, type: "string" })),
            responses: { 200: { description: "x", schema: { type: "string" }, examples } },
          };
          if (opProduces) op.produces = opProduces;
          const doc = { produces: rootProduces, consumes, paths: { "/f": { post: op } } };
          const proto = [...rootProduces, ...(opProduces ?? []), ...consumes, ...formNames].includes("__proto__");
          let out: Obj;
          try {
            out = convert(doc).out;
          } catch (err) {
            expect(proto, String(err)).toBe(true);
            expect(err).toBeInstanceOf(UserError);
            expect((err as Error).message).toMatch(/^spec\.yaml: (media type "__proto__" \(#\/(paths\/~1f\/post\/)?(produces|consumes)\/\d\)|formData parameter "__proto__" of POST \/f) would become a key/);
            return;
          }
          expect(proto).toBe(false);
          expect(plainEverywhere(out)).toBe(true);
          const types = (opProduces ?? rootProduces).length ? (opProduces ?? rootProduces) : ["application/json"];
          const content = out.paths["/f"].post.responses["200"].content as Obj;
          expect(Object.keys(content).sort()).toEqual([...new Set(types)].sort());
          for (const t of types) {
            if (Object.hasOwn(examples, t)) expect(content[t].example).toBe(examples[t]);
            else expect(Object.hasOwn(content[t], "example")).toBe(false);
          }
          if (formNames.length) {
            for (const c of Object.values(out.paths["/f"].post.requestBody.content as Obj)) {
              expect(Object.keys(c.schema.properties).sort()).toEqual([...new Set(formNames)].sort());
            }
          }
          expect(JSON.parse(JSON.stringify(out))).toEqual(out);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("does not modify its input, and keeps YAML-anchor sharing without looping", () => {
    const doc = parse(
      [
        "swagger: '2.0'",
        "info: {title: t, version: '1'}",
        "paths:",
        "  /a:",
        "    get:",
        "      parameters: &shared",
        "        - {name: q, in: query, type: array, items: {type: string}}",
        "      responses: {200: {description: ok}}",
        "  /b:",
        "    get:",
        "      parameters: *shared",
        "      responses: {200: {description: ok}}",
      ].join("\n"),
    ) as Obj;
    const before = JSON.stringify(doc);
    const out = convertSwagger2(doc, "s", []) as Obj;
    expect(JSON.stringify(doc)).toBe(before);
    expect(out.paths["/a"].get.parameters).toEqual(out.paths["/b"].get.parameters);
    expect(out.paths["/b"].get.parameters[0]).toMatchObject({ name: "q", style: "form", explode: false });
  });

  it("a document without paths is a UserError", () => {
    expect(() => convertSwagger2({ swagger: "2.0" }, "s.yaml", [])).toThrow(UserError);
  });
});
