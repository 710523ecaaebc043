import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildModel } from "../../src/model/build.js";
import { resolveServerUrl } from "../../src/model/servers.js";
import { hasExternalRefs, loadSpec } from "../../src/spec/load.js";
import { UserError } from "../../src/util/errors.js";

/** Writes `files` (relative path -> text) into a fresh folder and returns it. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "picofun-load-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function model(dir: string, file = "openapi.yaml") {
  const spec = await loadSpec(join(dir, file));
  return { spec, model: buildModel(spec) };
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).not.toMatch(/\n/);
    return err as UserError;
  }
  throw new Error("expected a UserError");
}

const HEAD = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\nservers: [{url: "https://api.example.com"}]\n';

describe("loading real-world shapes", () => {
  it("external $refs are resolved relative to the spec's folder (parameters, bodies, path items, schemas)", async () => {
    const dir = project({
      "openapi.yaml": `${HEAD}paths:\n  /pets:\n    $ref: "paths/pets.yaml"\n  /toys:\n    get:\n      parameters:\n        - $ref: "common/params.yaml#/Limit"\n      responses: {"200": {description: ok}}\n`,
      "paths/pets.yaml": `post:\n  parameters:\n    - $ref: "../common/params.yaml#/Limit"\n  requestBody:\n    $ref: "../common/bodies.yaml#/Pet"\n  responses: {"201": {description: created}}\n`,
      "common/params.yaml": "Limit: {name: limit, in: query, schema: {type: integer}}\n",
      "common/bodies.yaml": 'Pet:\n  required: true\n  content:\n    application/json:\n      schema: {$ref: "../schemas/pet.yaml"}\n',
      "schemas/pet.yaml": 'type: object\nproperties:\n  parent: {$ref: "#"}\n',
    });
    const { model: m } = await model(dir);
    const post = m.endpoints.find((e) => e.path === "/pets" && e.method === "post")!;
    expect(post.parameters.map((p) => p.name)).toEqual(["limit"]);
    expect(post.requestBody).toMatchObject({ contentType: "application/json", required: true });
    const toys = m.endpoints.find((e) => e.path === "/toys")!;
    expect(toys.parameters[0]).toMatchObject({ name: "limit", in: "query", schemaType: "integer" });
  });

  it("a Swagger 2.0 document with external refs is bundled, then converted", async () => {
    const dir = project({
      "openapi.yaml":
        'swagger: "2.0"\ninfo: {title: t, version: "1"}\nhost: api.example.com\npaths:\n  /pets:\n    post:\n      parameters:\n        - $ref: "params.yaml#/body"\n        - $ref: "params.yaml#/limit"\n      responses: {"200": {description: ok, schema: {$ref: "defs.yaml#/Pet"}}}\n',
      "params.yaml": 'body: {name: pet, in: body, required: true, schema: {$ref: "defs.yaml#/Pet"}}\nlimit: {name: limit, in: query, type: integer}\n',
      "defs.yaml": "Pet: {type: object}\n",
    });
    const { spec, model: m } = await model(dir);
    expect(spec.version).toBe("3.0");
    const post = m.endpoints[0];
    expect(post.requestBody).toMatchObject({ contentType: "application/json", required: true });
    expect(post.parameters).toEqual([expect.objectContaining({ name: "limit", in: "query", schemaType: "integer" })]);
    expect(m.servers[0].url).toBe("https://api.example.com");
  });

  it("a spec fetched from a URL cannot pull local files into the generated code", async () => {
    const secret = project({ "secret.txt": "TOP-SECRET" });
    const spec = `${HEAD}paths:\n  /a:\n    get:\n      description: {$ref: "file://${join(secret, "secret.txt")}"}\n      responses: {"200": {description: ok}}\n`;
    const server = createServer((_, res) => res.end(spec));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.yaml`;
      const err = await refusal(loadSpec(url));
      expect(err.message).toMatch(/cannot resolve external \$ref.*file:\/\//);
      expect(err.message).not.toMatch(/TOP-SECRET/);
    } finally {
      server.close();
    }
    // The same reference from a local spec is the user's own file and is allowed.
    const local = project({ "openapi.yaml": spec });
    const { model: m } = await model(local);
    expect(m.endpoints[0].description).toBe("TOP-SECRET");
  });

  it("a missing external file is one clear UserError", async () => {
    const dir = project({ "openapi.yaml": `${HEAD}paths:\n  /a:\n    $ref: "nope.yaml"\n` });
    const err = await refusal(loadSpec(join(dir, "openapi.yaml")));
    expect(err.message).toMatch(/cannot resolve external \$ref/);
  });

  it("YAML anchors and merge keys work", async () => {
    const dir = project({
      "openapi.yaml": `${HEAD}x-common: &limit {name: limit, in: query, schema: {type: integer}}\nx-op: &op\n  responses: {"200": {description: ok}}\npaths:\n  /a:\n    get:\n      <<: *op\n      parameters: [*limit]\n  /b:\n    get:\n      <<: *op\n      parameters: [*limit, {name: q, in: query}]\n`,
    });
    const { model: m } = await model(dir);
    expect(m.endpoints.map((e) => e.parameters.map((p) => p.name))).toEqual([["limit"], ["limit", "q"]]);
    expect(m.endpoints[0].responses).toEqual(["200"]);
  });

  it("a billion-laughs YAML is refused quickly with a clear error", async () => {
    let y = `${HEAD}paths: {}\nx-a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
    for (let i = 1; i < 10; i++) y += `x-a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(",")}]\n`;
    const err = await refusal(loadSpec(join(project({ "openapi.yaml": y }), "openapi.yaml")));
    expect(err.message).toMatch(/too many aliases.*billion laughs/);
  });

  it("an anchor holding an alias to itself is refused, not looped over", async () => {
    const y = `${HEAD}paths: {}\nx-loop: &loop {again: *loop}\n`;
    const err = await refusal(loadSpec(join(project({ "openapi.yaml": y }), "openapi.yaml")));
    expect(err.message).toMatch(/alias to itself/);
  });

  it("YAML reads as YAML 1.2 core: dates, yes/no and version numbers stay as written; duplicate keys keep the last", async () => {
    const y = `${HEAD}x-when: 2024-01-01\nx-flag: yes\nx-num: 0x1F\nx-dup: 1\nx-dup: 2\npaths: {}\n`;
    const { doc } = await loadSpec(join(project({ "openapi.yaml": y }), "openapi.yaml"));
    expect(doc["x-when"]).toBe("2024-01-01");
    expect(doc["x-flag"]).toBe("yes");
    expect(doc["x-num"]).toBe(31);
    expect(doc["x-dup"]).toBe(2);
    expect((doc.info as { version: unknown }).version).toBe("1");
  });

  it("a YAML syntax error names its line and column", async () => {
    const y = `${HEAD}paths:\n  /a:\n    get: [\n`;
    const err = await refusal(loadSpec(join(project({ "openapi.yaml": y }), "openapi.yaml")));
    expect(err.message).toMatch(/invalid YAML \(line 7, column 1\): /);
  });

  it("hasExternalRefs finds exactly the $refs that leave the document", () => {
    const external = ['$ref: "other.yaml"', "$ref: './a.yaml#/x'", '"$ref": "https://x.example/s.json"', "'$ref' :  b.yaml", '{"$ref":"c.json#/d"}'];
    const internal = ['$ref: "#/components/schemas/A"', '"$ref": "#/x"', "$ref: '#/y'", "$refs: a.yaml", "$ref", '"$ref": ""', "description: uses $ref to x", "$ref:\n  #/a"];
    for (const text of external) expect(hasExternalRefs(`a: 1\n${text}\n`), text).toBe(true);
    for (const text of internal) expect(hasExternalRefs(`a: 1\n${text}\n`), text).toBe(false);
    expect(hasExternalRefs(`${internal.join("\n")}\n${external[0]}`)).toBe(true);
  });

  it("absurdly deep YAML is refused; deep JSON schemas load (nothing recurses into them)", async () => {
    const y = `${HEAD}paths: {}\nx-deep: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`;
    const err = await refusal(loadSpec(join(project({ "openapi.yaml": y }), "openapi.yaml")));
    expect(err.message).toMatch(/nested too deeply/);
    const schema = `${'{"items":'.repeat(20_000)}{}${"}".repeat(20_000)}`;
    const json = `{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"post":{"requestBody":{"content":{"application/json":{"schema":${schema}}}},"responses":{"200":{"description":"ok"}}}}}}`;
    const { model: m } = await model(project({ "openapi.json": json }), "openapi.json");
    expect(m.endpoints[0].requestBody?.contentType).toBe("application/json");
  });

  it("deeply nested Swagger 2.0 converts or is refused cleanly, never a stack overflow", async () => {
    const schema = `${'{"items":'.repeat(20_000)}{}${"}".repeat(20_000)}`;
    const json = `{"swagger":"2.0","info":{"title":"t","version":"1"},"host":"h.example.com","paths":{"/a":{"get":{"responses":{"200":{"description":"ok","schema":${schema}}}}}}}`;
    try {
      const { model: m } = await model(project({ "s.json": json }), "s.json");
      expect(m.endpoints).toHaveLength(1);
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(/nested too deeply/);
    }
  });

  it("$refs to path items, parameters and request bodies are followed; circular schemas are fine", async () => {
    const dir = project({
      "openapi.yaml": `${HEAD}paths:
  /a:
    $ref: "#/paths/~1b"
  /b:
    parameters: [{$ref: "#/components/parameters/Id"}]
    put:
      requestBody: {$ref: "#/components/requestBodies/Node"}
      responses: {"200": {description: ok}}
components:
  parameters:
    Id: {$ref: "#/components/parameters/RealId"}
    RealId: {name: id, in: header, required: true, schema: {type: string}}
  requestBodies:
    Node:
      content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}
  schemas:
    Node: {type: object, properties: {children: {type: array, items: {$ref: "#/components/schemas/Node"}}}}
`,
    });
    const { model: m } = await model(dir);
    expect(m.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(["put /a", "put /b"]);
    for (const e of m.endpoints) {
      expect(e.parameters).toEqual([expect.objectContaining({ name: "id", in: "header", required: true })]);
      expect(e.requestBody?.contentType).toBe("application/json");
    }
  });

  it("a $ref cycle with no object in it, or to nothing, is one UserError", async () => {
    const cyc = project({ "openapi.yaml": `${HEAD}paths:\n  /a: {$ref: "#/paths/~1b"}\n  /b: {$ref: "#/paths/~1a"}\n` });
    const { spec } = { spec: await loadSpec(join(cyc, "openapi.yaml")) };
    expect(() => buildModel(spec)).toThrow(/\$ref cycle/);
    const none = project({ "openapi.yaml": `${HEAD}paths:\n  /a:\n    get:\n      parameters: [{$ref: "#/components/parameters/Nope"}]\n      responses: {"200": {description: ok}}\n` });
    const spec2 = await loadSpec(join(none, "openapi.yaml"));
    expect(() => buildModel(spec2)).toThrow(/points to nothing/);
    const bad = project({ "openapi.yaml": `${HEAD}paths:\n  /a: {$ref: "#/paths/%E0%A4%A"}\n` });
    const spec3 = await loadSpec(join(bad, "openapi.yaml"));
    expect(() => buildModel(spec3)).toThrow(UserError);
  });

  it("per-path and per-operation servers win; relative ones resolve against the document's server", async () => {
    const dir = project({
      "openapi.yaml": `openapi: 3.1.0
info: {title: t, version: "1"}
servers: [{url: "https://{region}.example.com/v1", variables: {region: {default: eu}}}]
paths:
  /a:
    servers: [{url: "/v2"}]
    get: {responses: {"200": {description: ok}}}
    post:
      servers: [{url: "//other.example.com/base/"}]
      responses: {"200": {description: ok}}
  /b:
    get:
      servers: [{url: "https://{tenant}.op.example.com", variables: {tenant: {default: acme}}}]
      responses: {"200": {description: ok}}
`,
    });
    const { model: m } = await model(dir);
    const inputs = { specLocation: m.location, specIsUrl: false, variables: { region: "us" } };
    const base = () => resolveServerUrl(m.servers, inputs);
    expect(base()).toBe("https://us.example.com/v1");
    const url = (path: string, method: string) => resolveServerUrl(m.endpoints.find((e) => e.path === path && e.method === method)!.servers!, { ...inputs, documentBase: base });
    expect(url("/a", "get")).toBe("https://us.example.com/v2");
    expect(url("/a", "post")).toBe("https://other.example.com/base");
    // A configured variable the operation's server does not declare is not an error there.
    expect(url("/b", "get")).toBe("https://acme.op.example.com");
  });

  it("no servers and a local file: one UserError naming --server-url", () => {
    expect(() => resolveServerUrl([], { specLocation: "/x/openapi.yaml", specIsUrl: false })).toThrow(/--server-url/);
  });
});
