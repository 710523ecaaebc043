import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveServerUrl } from "../../src/model/servers.js";
import { UserError } from "../../src/util/errors.js";
import type { Server } from "../../src/model/types.js";

const tokenized: Server[] = [
  {
    url: "https://{env}.example.com/api/{version}",
    variables: { env: { default: "prod" }, version: {} },
  },
];
const local = { specLocation: "/tmp/spec.yaml", specIsUrl: false };

describe("server URL", () => {
  it("fills variables from config, then spec defaults", () => {
    expect(resolveServerUrl(tokenized, { ...local, variables: { version: "v2" } })).toBe("https://prod.example.com/api/v2");
    expect(resolveServerUrl(tokenized, { ...local, variables: { version: "v3", env: "staging" } })).toBe("https://staging.example.com/api/v3");
  });

  it("fails on a variable without a value, naming it", () => {
    expect(() => resolveServerUrl(tokenized, local)).toThrow(/server variable "version" .* has no value/);
  });

  it("fails on a config variable the spec does not declare, listing the declared ones", () => {
    expect(() => resolveServerUrl(tokenized, { ...local, variables: { version: "v1", region: "eu" } })).toThrow(
      /"region" is not a variable of server .* \(declared: env, version\)/,
    );
  });

  it("a variable named like an Object.prototype member is a plain name: declared only if the spec declares it, valued only if given", () => {
    const servers: Server[] = [{ url: "https://{constructor}.example.com/{toString}", variables: { constructor: {}, toString: { default: "v1" } } }];
    expect(() => resolveServerUrl(servers, { ...local, variables: {} })).toThrow(/server variable "constructor" .* has no value/);
    expect(resolveServerUrl(servers, { ...local, variables: { constructor: "eu" } })).toBe("https://eu.example.com/v1");
    expect(() => resolveServerUrl(tokenized, { ...local, variables: { version: "v1", constructor: "x" } })).toThrow(/"constructor" is not a variable of server/);
  });

  it("property: whatever the variable names (prototype names included), a placeholder takes the configured value, else the spec's default, else a UserError", () => {
    const name = fc.oneof(fc.constantFrom("constructor", "toString", "valueOf", "hasOwnProperty", "prototype", "env"), fc.stringMatching(/^[a-z]{1,6}$/));
    const value = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 3 }), fc.dictionary(name, value), fc.dictionary(name, value), (used, defaults, configured) => {
        const variables = Object.fromEntries(used.map((n) => [n, Object.hasOwn(defaults, n) ? { default: defaults[n] } : {}]));
        const given = Object.fromEntries(Object.entries(configured).filter(([n]) => used.includes(n)));
        const servers: Server[] = [{ url: `https://${used.map((n) => `{${n}}`).join(".")}.example.com`, variables }];
        const want = used.map((n) => (Object.hasOwn(given, n) ? given[n] : Object.hasOwn(defaults, n) ? defaults[n] : undefined));
        if (want.includes(undefined)) {
          expect(() => resolveServerUrl(servers, { ...local, variables: given })).toThrow(UserError);
        } else {
          expect(resolveServerUrl(servers, { ...local, variables: given })).toBe(`https://${want.join(".")}.example.com`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("uses an override as it is, over everything", () => {
    expect(resolveServerUrl(tokenized, { ...local, overrideUrl: "https://staging.example.com/" })).toBe("https://staging.example.com");
  });

  it("resolves relative server URLs against the spec's URL", () => {
    const servers: Server[] = [{ url: "/v1", variables: {} }];
    expect(resolveServerUrl(servers, { specLocation: "https://api.example.com/docs/openapi.json", specIsUrl: true })).toBe("https://api.example.com/v1");
    expect(resolveServerUrl([], { specLocation: "https://api.example.com/docs/openapi.json", specIsUrl: true })).toBe("https://api.example.com");
  });

  it("asks for --server-url when there is nothing to resolve against", () => {
    expect(() => resolveServerUrl([], local)).toThrow(/no servers; pass --server-url/);
    expect(() => resolveServerUrl([{ url: "/v1", variables: {} }], local)).toThrow(/relative server URL "\/v1"; pass --server-url/);
  });

  it("reads protocol-relative URLs as https", () => {
    expect(resolveServerUrl([{ url: "//api.example.com/base/", variables: {} }], local)).toBe("https://api.example.com/base");
  });
});
