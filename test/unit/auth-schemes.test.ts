import { describe, expect, it } from "vitest";
import { planAuth } from "../../src/auth/contribution.js";
import { putParameterNotes, shapeFor } from "../../src/auth/render.js";
import { choose } from "../../src/auth/schemes.js";
import type { ApiModel, Endpoint, SecurityRequirement, SecurityScheme } from "../../src/model/types.js";

const schemes: Record<string, SecurityScheme> = {
  bearer: { name: "bearer", type: "http", scheme: "bearer" },
  basic: { name: "basic", type: "http", scheme: "basic" },
  key: { name: "key", type: "apiKey", in: "header", paramName: "X-Key" },
  key2: { name: "key2", type: "apiKey", in: "query", paramName: "k" },
  mtls: { name: "mtls", type: "mutualTLS" },
  cc: { name: "cc", type: "oauth2", flows: { clientCredentials: { tokenUrl: "https://id.example.com/token", scopes: {} } } },
  code: { name: "code", type: "oauth2", flows: { authorizationCode: { authorizationUrl: "https://a", tokenUrl: "https://t", scopes: {} } } },
  oidc: { name: "oidc", type: "openIdConnect", openIdConnectUrl: "https://id.example.com" },
  digest: { name: "digest", type: "http", scheme: "digest" },
};

const names = (req: SecurityRequirement[] | undefined) => {
  const c = choose(req, schemes);
  return c.kind === "chosen" ? c.schemes.map((s) => s.name) : c.kind;
};

describe("choosing a security scheme", () => {
  it("follows the priority Bearer > Basic > API key > mTLS > OAuth2 client credentials", () => {
    expect(names([{ mtls: [] }, { key: [] }, { basic: [] }, { bearer: [] }])).toEqual(["bearer"]);
    expect(names([{ mtls: [] }, { key: [] }, { basic: [] }])).toEqual(["basic"]);
    expect(names([{ cc: [] }, { mtls: [] }, { key: [] }])).toEqual(["key"]);
    expect(names([{ cc: [] }, { mtls: [] }])).toEqual(["mtls"]);
    expect(names([{ cc: ["read"] }])).toEqual(["cc"]);
  });

  it("skips unsupported alternatives and reports them when nothing else is left", () => {
    expect(names([{ oidc: [] }, { code: [] }, { key: [] }])).toEqual(["key"]);
    const c = choose([{ oidc: [] }, { code: [] }, { digest: [] }, { ghost: [] }], schemes);
    expect(c).toEqual({
      kind: "unsupported",
      schemes: [
        "oidc (openIdConnect)",
        "code (oauth2 authorizationCode)",
        "digest (http digest)",
        "ghost (not defined in components.securitySchemes)",
      ],
    });
  });

  it("no requirement, an empty list, and an optional {} alternative mean no credentials", () => {
    expect(names(undefined)).toBe("none");
    expect(names([])).toBe("none");
    expect(names([{}, { oidc: [] }])).toBe("none");
    expect(names([{}, { basic: [] }])).toEqual(["basic"]);
  });

  it("applies a combined requirement when its schemes use different parameters", () => {
    expect(names([{ mtls: [], key: [] }])).toEqual(["key", "mtls"]);
    expect(choose([{ key: [], key2: [] }], schemes).kind).toBe("unsupported");
    // A single scheme beats a combination that starts with the same priority.
    expect(names([{ key: [], mtls: [] }, { key2: [] }])).toEqual(["key2"]);
  });
});

function endpoint(path: string, security?: SecurityRequirement[]): Endpoint {
  return { method: "get", path, tags: [], deprecated: false, parameters: [], responses: ["200"], security };
}

function model(endpoints: Endpoint[], security?: SecurityRequirement[]): ApiModel {
  return {
    title: "t",
    version: "1",
    openapiVersion: "3.1.0",
    servers: [],
    endpoints,
    securitySchemes: schemes,
    security,
    location: "spec.yaml",
    locationIsUrl: false,
  };
}

describe("planning authentication for a spec", () => {
  it("honours per-operation security over the document's, including security: []", () => {
    const eps = [endpoint("/a"), endpoint("/b", [{ key: [] }]), endpoint("/c", []), endpoint("/d", [{ oidc: [] }])];
    const plan = planAuth({ model: model(eps, [{ bearer: [] }]), endpoints: eps });
    expect(Object.fromEntries(plan.perEndpoint)).toEqual({ "GET /a": ["bearer"], "GET /b": ["key"], "GET /c": [], "GET /d": [] });
    expect(plan.schemes.map((s) => s.name)).toEqual(["bearer", "key"]);
    expect(plan.unsupported.map((u) => u.endpoint.path)).toEqual(["/d"]);
  });

  it("collects the OAuth2 scopes the generated operations ask for", () => {
    const eps = [endpoint("/a", [{ cc: ["write", "read"] }]), endpoint("/b", [{ cc: ["read"] }])];
    expect(planAuth({ model: model(eps), endpoints: eps }).scopes.get("cc")).toEqual(["read", "write"]);
  });

  it("one http parameter holds every key Bearer and Basic need; notes name each parameter", () => {
    const eps = [endpoint("/a", [{ bearer: [] }]), endpoint("/b", [{ basic: [] }]), endpoint("/c", [{ mtls: [] }])];
    const plan = planAuth({ model: model(eps), endpoints: eps });
    expect(Object.keys(shapeFor(plan, "http"))).toEqual(["token", "username", "password"]);
    const notes = putParameterNotes(plan, "ns").join("\n");
    expect(notes).toContain('--name "/picorun/ns/credentials-http"');
    expect(notes).toContain(`--name "/picorun/ns/credentials-mutual-tls" --type SecureString --key-id "$(terraform output -raw credentials_kms_key_arn)" --overwrite --value '{"cert":"<PEM certificate>","key":"<PEM private key>"}'`);
  });
});
