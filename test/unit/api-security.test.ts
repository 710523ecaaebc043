import { describe, expect, it } from "vitest";
import { keepOperations } from "../../src/kinds/api/gateway/prune.js";
import { securityModel } from "../../src/kinds/api/gateway/security.js";

const ok = { responses: { "200": { description: "ok" } } };

function doc(security: unknown, schemes: Record<string, unknown>, root?: unknown): Record<string, unknown> {
  return {
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    ...(root ? { security: root } : {}),
    paths: { "/a": { get: { operationId: "getA", ...ok, ...(security === undefined ? {} : { security }) } } },
    components: { securitySchemes: schemes },
  };
}

const SCHEMES = {
  key: { type: "apiKey", in: "header", name: "X-Api-Key" },
  bearer: { type: "http", scheme: "bearer" },
  other: { type: "apiKey", in: "header", name: "X-Other" },
  cookie: { type: "apiKey", in: "cookie", name: "sid" },
  oidc: { type: "openIdConnect", openIdConnectUrl: "https://id.example.com" },
  digest: { type: "http", scheme: "digest" },
  mtls: { type: "mutualTLS" },
};

const access = (d: Record<string, unknown>, opts = {}) => securityModel(d, opts).operations.get("GET /a")!;

describe("security model", () => {
  it("x-api-key (any case) is the gateway's API key; the root requirement applies without an own one", () => {
    const a = access(doc(undefined, SCHEMES, [{ key: [] }]));
    expect(a).toMatchObject({ open: false, apiKeyScheme: "key" });
    expect(a.authorizer).toBeUndefined();
  });

  it("security: [] and no security at all stay open; {} among alternatives is optional, so open with a warning", () => {
    expect(access(doc([], SCHEMES, [{ key: [] }]))).toMatchObject({ open: true, openBecause: "security: []" });
    expect(access(doc(undefined, SCHEMES))).toMatchObject({ open: true, openBecause: "no security" });
    const m = securityModel(doc([{}, { bearer: [] }], SCHEMES));
    expect(m.operations.get("GET /a")).toMatchObject({ open: true, openBecause: "optional" });
    expect(m.warnings.join()).toMatch(/optional/);
  });

  it("API key together with an authorizer; two authorizers together cannot be enforced", () => {
    expect(access(doc([{ key: [], bearer: [] }], SCHEMES))).toMatchObject({ apiKeyScheme: "key", authorizer: "bearer" });
    const m = securityModel(doc([{ bearer: [], other: [] }], SCHEMES));
    expect(m.problems[0].message).toMatch(/"other".*one authorizer per method/);
  });

  it("of alternatives the first enforceable one is used, with a warning", () => {
    const m = securityModel(doc([{ digest: [] }, { oidc: ["read"] }], SCHEMES));
    expect(m.problems).toEqual([]);
    expect(m.operations.get("GET /a")).toMatchObject({ authorizer: "oidc", scopes: [], specScopes: ["read"] });
    expect(m.warnings.join()).toMatch(/alternative/);
  });

  it("bearer/OIDC become Cognito with user pools (scopes passed); cookie keys a REQUEST authorizer on the Cookie header", () => {
    const m = securityModel(doc([{ oidc: ["pets:read"] }], SCHEMES), { userPools: ["arn:x"] });
    expect(m.authorizers[0]).toMatchObject({ scheme: "oidc", type: "cognito" });
    expect(m.operations.get("GET /a")!.scopes).toEqual(["pets:read"]);
    expect(securityModel(doc([{ cookie: [] }], SCHEMES)).authorizers[0]).toMatchObject({ type: "request", identitySource: "method.request.header.Cookie" });
  });

  it("unmappable schemes are problems naming operation and scheme; the opt-out leaves the operation open", () => {
    for (const name of ["digest", "mtls", "missing"]) {
      const m = securityModel(doc([{ [name]: [] }], SCHEMES));
      expect(m.problems).toHaveLength(1);
      expect(m.problems[0].message).toMatch(new RegExp(`GET /a \\(getA\\) requires security scheme "${name}"`));
    }
    const opted = securityModel(doc([{ digest: [] }], SCHEMES), { allowUnenforced: true });
    expect(opted.operations.get("GET /a")).toMatchObject({ open: true, openBecause: "opted out", unenforced: ["digest"] });
  });
});

describe("keepOperations", () => {
  it("keeps the chosen operations and only the components they reach, transitively", () => {
    const d = {
      openapi: "3.0.3",
      paths: {
        "/a": { get: { ...ok, security: [{ bearer: [] }], responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/A" } } } } } } },
        "/b": { get: { responses: { "200": { $ref: "#/components/responses/B" } } } },
      },
      components: {
        schemas: { A: { properties: { c: { $ref: "#/components/schemas/C" } } }, C: { type: "string" }, Bad: { type: ["a", "b"] } },
        responses: { B: { description: "b" } },
        securitySchemes: SCHEMES,
      },
    };
    const kept = keepOperations(d, new Set(["GET /a"])) as any;
    expect(Object.keys(kept.paths)).toEqual(["/a"]);
    expect(Object.keys(kept.components.schemas).sort()).toEqual(["A", "C"]);
    expect(kept.components.responses).toBeUndefined();
    expect(Object.keys(kept.components.securitySchemes)).toEqual(["bearer"]);
    expect(Object.keys(d.components.schemas)).toHaveLength(3);
  });
});
