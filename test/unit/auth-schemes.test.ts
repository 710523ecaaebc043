import { describe, expect, it } from "vitest";
import { planAuth } from "../../src/kinds/client/auth/contribution.js";
import { putParameterNotes, shapeFor } from "../../src/kinds/client/auth/render.js";
import { terraformNote } from "../../src/iac/terraform/emit.js";
import { choose } from "../../src/kinds/client/auth/schemes.js";
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
  implicit: { name: "implicit", type: "oauth2", flows: { implicit: { authorizationUrl: "https://a", scopes: {} } } },
  clientId: { name: "clientId", type: "apiKey", in: "header", paramName: "X-Client-Id" },
  cookieless: { name: "cookieless", type: "apiKey", in: "body", paramName: "k" },
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
    expect(names([{ digest: [] }, { cookieless: [] }, { key: [] }])).toEqual(["key"]);
    const c = choose([{ digest: [] }, { cookieless: [] }, { ghost: [] }], schemes);
    expect(c).toEqual({
      kind: "unsupported",
      schemes: ["digest (http digest)", "cookieless (apiKey in body)", "ghost (not defined in components.securitySchemes)"],
    });
  });

  it("OAuth2 flows for a person and OpenID Connect are applied, after client credentials", () => {
    expect(names([{ code: [] }, { oidc: [] }])).toEqual(["code"]);
    expect(names([{ code: [] }, { cc: [] }])).toEqual(["cc"]);
    expect(names([{ oidc: [] }])).toEqual(["oidc"]);
    const c = choose([{ implicit: [] }], schemes);
    expect(c.kind === "chosen" && c.schemes[0]).toMatchObject({ kind: "oauth2-token", tokenUrl: "", parameterType: "oauth2" });
    const o = choose([{ oidc: [] }], schemes);
    expect(o.kind === "chosen" && o.schemes[0]).toMatchObject({ kind: "oauth2-token", discoveryUrl: "https://id.example.com" });
  });

  it("no requirement, an empty list, and an optional {} alternative mean no credentials", () => {
    expect(names(undefined)).toBe("none");
    expect(names([])).toBe("none");
    expect(names([{}, { digest: [] }])).toBe("none");
    expect(names([{}, { basic: [] }])).toEqual(["basic"]);
  });

  it("applies a combined requirement whole, also two schemes of one parameter; refuses two in one place", () => {
    expect(names([{ mtls: [], key: [] }])).toEqual(["key", "mtls"]);
    expect(names([{ key: [], key2: [] }])).toEqual(["key", "key2"]);
    expect(names([{ key: [], clientId: [] }])).toEqual(["key", "clientId"]);
    expect(choose([{ bearer: [], basic: [] }], schemes)).toEqual({
      kind: "unsupported",
      schemes: ["bearer + basic (both would set the Authorization header)"],
    });
    expect(choose([{ bearer: [], cc: [] }], schemes).kind).toBe("unsupported");
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
    const eps = [endpoint("/a"), endpoint("/b", [{ key: [] }]), endpoint("/c", []), endpoint("/d", [{ digest: [] }])];
    const plan = planAuth({ model: model(eps, [{ bearer: [] }]), endpoints: eps });
    expect(Object.fromEntries(plan.perEndpoint)).toEqual({ "GET /a": ["bearer"], "GET /b": ["key"], "GET /c": [], "GET /d": [] });
    expect(plan.schemes.map((s) => s.name)).toEqual(["bearer", "key"]);
    expect(plan.unsupported.map((u) => u.endpoint.path)).toEqual(["/d"]);
  });

  it("collects the OAuth2 scopes the generated operations ask for", () => {
    const eps = [endpoint("/a", [{ cc: ["write", "read"] }]), endpoint("/b", [{ cc: ["read"] }])];
    expect(planAuth({ model: model(eps), endpoints: eps }).scopes.get("cc")).toEqual(["read", "write"]);
  });

  it("one scheme of a type: its own keys; several: keyed by scheme name; notes name each parameter", () => {
    const eps = [endpoint("/a", [{ bearer: [] }]), endpoint("/b", [{ basic: [] }]), endpoint("/c", [{ mtls: [] }])];
    const plan = planAuth({ model: model(eps), endpoints: eps });
    expect(shapeFor(plan, "http")).toEqual({ bearer: "<token>", basic: { username: "<username>", password: "<password>" } });
    expect(shapeFor(plan, "mutual-tls")).toEqual({ cert: "<PEM certificate>", key: "<PEM private key>" });
    const notes = putParameterNotes(plan, "ns").map(terraformNote).join("\n");
    expect(notes).toContain(`--name "/picorun/ns/credentials-http" --type SecureString --key-id "$(terraform output -raw credentials_kms_key_arn)" --overwrite --value file://credentials-http.json`);
    expect(notes).toContain(`credentials-http.json: {"basic":{"username":"<username>","password":"<password>"},"bearer":"<token>"}`);
    expect(notes).toContain(`--name "/picorun/ns/credentials-mutual-tls" --type SecureString --key-id "$(terraform output -raw credentials_kms_key_arn)" --overwrite --value file://credentials-mutual-tls.json`);
    expect(notes).toContain(`credentials-mutual-tls.json: {"cert":"<PEM certificate>","key":"<PEM private key>"}`);
    expect(notes).not.toContain("--value '");
  });

  it("an AND of two API keys: one api-key parameter keyed by scheme name, exactly as the issue shows", () => {
    const eps = [endpoint("/a", [{ key: [], clientId: [] }])];
    const plan = planAuth({ model: model(eps), endpoints: eps });
    expect(JSON.stringify(shapeFor(plan, "api-key"))).toBe('{"clientId":"<api key>","key":"<api key>"}');
  });

  it("user-token flows: refresh token + client, token_url when the spec has none; Secrets Manager and a prefix", () => {
    const eps = [endpoint("/a", [{ implicit: [] }]), endpoint("/b", [{ code: [] }])];
    const plan = planAuth({ model: model(eps), endpoints: eps });
    expect(shapeFor(plan, "oauth2")).toEqual({
      code: { refresh_token: "<refresh token>", client_id: "<client id>", client_secret: "<client secret>" },
      implicit: { refresh_token: "<refresh token>", client_id: "<client id>", client_secret: "<client secret>", token_url: "<token endpoint URL>" },
    });
    const notes = putParameterNotes(plan, "ns", { enabled: true, ttlMinutes: 5, store: "secretsmanager", parameterPrefix: "/team" }).map(terraformNote).join("\n");
    expect(notes).toContain(`aws secretsmanager put-secret-value --secret-id "/team/ns/credentials-oauth2" --secret-string file://credentials-oauth2.json`);
    expect(notes).toContain(`credentials-oauth2.json: {"code":`);
    expect(notes).toMatch(/access_token/);
  });
});
