import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planAuth } from "../../src/kinds/client/auth/contribution.js";
import { choose } from "../../src/kinds/client/auth/schemes.js";
import type { ApiModel, Endpoint, SecurityScheme } from "../../src/model/types.js";

const GOOGLE = "https://accounts.google.com/o/oauth2";
const schemes: Record<string, SecurityScheme> = {
  Oauth2: { name: "Oauth2", type: "oauth2", flows: { implicit: { authorizationUrl: `${GOOGLE}/auth`, scopes: {} } } },
  Oauth2c: { name: "Oauth2c", type: "oauth2", flows: { authorizationCode: { authorizationUrl: `${GOOGLE}/auth`, tokenUrl: `${GOOGLE}/token`, scopes: {} } } },
  other: { name: "other", type: "oauth2", flows: { authorizationCode: { authorizationUrl: "https://login.example.com/a", tokenUrl: "https://login.example.com/t", scopes: {} } } },
  bearer: { name: "bearer", type: "http", scheme: "bearer" },
  key: { name: "key", type: "apiKey", in: "header", paramName: "X-Key" },
};

describe("OAuth2 schemes of one provider required together", () => {
  it("are sent as one token: the flow with a token URL is kept, with the scopes of both", () => {
    const c = choose([{ Oauth2: ["a", "b"], Oauth2c: ["b", "c"] }], schemes);
    expect(c.kind).toBe("chosen");
    if (c.kind !== "chosen") return;
    expect(c.schemes.map((s) => s.name)).toEqual(["Oauth2c"]);
    expect(c.requirement).toEqual({ Oauth2c: ["a", "b", "c"] });
    expect(c.merged).toEqual({ kept: "Oauth2c", into: ["Oauth2"] });
    // With another kind of credential beside them, that one is still sent.
    const withKey = choose([{ key: [], Oauth2: [], Oauth2c: [] }], schemes);
    expect(withKey.kind === "chosen" && withKey.schemes.map((s) => s.name).sort()).toEqual(["Oauth2c", "key"]);
  });

  it("different providers, or an OAuth2 token beside an http bearer, still clash", () => {
    expect(choose([{ Oauth2c: [], other: [] }], schemes)).toEqual({ kind: "unsupported", schemes: ["Oauth2c + other (both would set the Authorization header)"] });
    expect(choose([{ bearer: [], Oauth2c: [] }], schemes).kind).toBe("unsupported");
  });

  it("the plan names the kept scheme for the endpoint and gives one notice", () => {
    const e: Endpoint = { method: "get", path: "/x", tags: [], deprecated: false, parameters: [], responses: [], security: [{ Oauth2: ["s1"], Oauth2c: ["s1"] }] } as unknown as Endpoint;
    const model = { securitySchemes: schemes, endpoints: [e] } as unknown as ApiModel;
    const plan = planAuth({ model, endpoints: [e, { ...e, path: "/y" }] });
    expect(plan.perEndpoint.get("GET /x")).toEqual(["Oauth2c"]);
    expect(plan.scopes.get("Oauth2c")).toEqual(["s1"]);
    expect(plan.notices).toHaveLength(1);
    expect(plan.notices[0]).toMatch(/^Oauth2c and Oauth2 are required together/);
  });

  it("property: any number of flows of one provider, hostile names included, give exactly one OAuth2 credential with every scope", () => {
    const flowName = fc.constantFrom("implicit", "authorizationCode", "password", "clientCredentials");
    const name = fc.oneof(fc.constantFrom("__proto__", "constructor", "toString", "Oauth2", "Oauth2c"), fc.string({ minLength: 1, maxLength: 8 }));
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, flowName, fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 })), { minLength: 2, maxLength: 5, selector: (t) => t[0] }), (entries) => {
        const defs: Record<string, SecurityScheme> = Object.create(null);
        const requirement: Record<string, string[]> = Object.create(null);
        for (const [n, flow, scopes] of entries) {
          defs[n] = { name: n, type: "oauth2", flows: { [flow]: { authorizationUrl: `${GOOGLE}/auth`, tokenUrl: `${GOOGLE}/token`, scopes: {} } } };
          requirement[n] = scopes;
        }
        const c = choose([requirement], defs);
        expect(c.kind).toBe("chosen");
        if (c.kind !== "chosen") return;
        expect(c.schemes).toHaveLength(1);
        expect(entries.map((e) => e[0])).toContain(c.schemes[0].name);
        expect(Object.keys(c.requirement)).toEqual([c.schemes[0].name]);
        expect(new Set(c.requirement[c.schemes[0].name])).toEqual(new Set(entries.flatMap((e) => e[2])));
      }),
    );
  });
});
