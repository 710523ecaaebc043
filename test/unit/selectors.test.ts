import { parseDocument } from "yaml";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import type { Endpoint, HttpMethod } from "../../src/model/types.js";
import { allowlistOf, addEndpoints, allowlistText, removeEndpoints, withIncludeEndpoints } from "../../src/select/editAllowlist.js";
import { selectEndpoints } from "../../src/select/match.js";
import { isBroad, parseSelector, resolveSelectors } from "../../src/select/selectors.js";
import { UserError } from "../../src/util/errors.js";

function ep(method: HttpMethod, path: string, operationId?: string, tags: string[] = []): Endpoint {
  return { method, path, operationId, tags, deprecated: false, parameters: [], responses: [] };
}

const API = [
  ep("get", "/users", "listUsers", ["users"]),
  ep("post", "/users", "createUser", ["users"]),
  ep("get", "/users/{id}", "getUser", ["users"]),
  ep("delete", "/users/{id}", undefined, ["users"]),
  ep("get", "/users/{id}/keys/{key-id}", "getUserKey", ["keys"]),
  ep("get", "/health"),
];

const ids = (list: Endpoint[]) => list.map((e) => e.operationId ?? `${e.method} ${e.path}`);

describe("selectors", () => {
  it("parses the three kinds", () => {
    expect(parseSelector("getUser")).toMatchObject({ kind: "operationId", operationId: "getUser" });
    expect(parseSelector("delete /users/{id}")).toMatchObject({ kind: "path", method: "delete", path: "/users/{id}", glob: false });
    expect(parseSelector("GET /users/**")).toMatchObject({ kind: "path", method: "get", glob: true });
    expect(parseSelector("/users/*")).toMatchObject({ kind: "path", method: undefined, glob: true });
    expect(() => parseSelector("GET users")).toThrow(UserError);
    expect(() => parseSelector("list users")).toThrow(/neither an operationId/);
    expect(isBroad(parseSelector("getUser"))).toBe(false);
    expect(isBroad(parseSelector("GET /users"))).toBe(false);
    expect(isBroad(parseSelector("/users"))).toBe(true);
    expect(isBroad(parseSelector("GET /users/*"))).toBe(true);
    expect(parseSelector("tag:keys")).toMatchObject({ kind: "tag", tag: "keys" });
    expect(isBroad(parseSelector("tag:keys"))).toBe(true);
  });

  it("matches exactly, by glob, and by method", () => {
    const pick = (...s: string[]) => ids(resolveSelectors(s, API).matched);
    expect(pick("getUser")).toEqual(["getUser"]);
    expect(pick("GET /users/{id}/keys/{key-id}")).toEqual(["getUserKey"]);
    expect(pick("/users/*")).toEqual(["getUser", "delete /users/{id}"]);
    expect(pick("/users/**")).toEqual(["getUser", "delete /users/{id}", "getUserKey"]);
    expect(pick("GET /users/**")).toEqual(["getUser", "getUserKey"]);
    expect(pick("/users")).toEqual(["listUsers", "createUser"]);
    expect(pick("tag:keys")).toEqual(["getUserKey"]);
    // Several selectors, overlapping: each endpoint once, in the spec's order.
    expect(pick("getUserKey", "/users/**", "listUsers")).toEqual(["listUsers", "getUser", "delete /users/{id}", "getUserKey"]);
  });

  it("names the closest matches of unknown selectors, all in one message", () => {
    expect(() => resolveSelectors(["getUsr"], API)).toThrow(/"getUsr" \(closest: "getUser"/);
    expect(() => resolveSelectors(["GET /user/{id}"], API)).toThrow(/closest: "GET \/users\/\{id\}"/);
    expect(() => resolveSelectors(["tag:user"], API)).toThrow(/closest: "tag:users"/);
    let message = "";
    try {
      resolveSelectors(["listUsers", "getUsr", "/nothing/**"], API);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/"getUsr".*; "\/nothing\/\*\*"/);
    expect(message).not.toContain("\n");
  });
});

function edited(yaml: string, change: (doc: ReturnType<typeof parseDocument>) => void): { text: string; included: string[] } {
  const doc = parseDocument(yaml);
  change(doc);
  const text = allowlistText(doc);
  return { text, included: ids(selectEndpoints(API, allowlistOf(parseDocument(text), "a.yaml"))) };
}

describe("allowlist edits", () => {
  it("adds by operationId, or as a path rule when there is none, keeping comments", () => {
    const yaml = "# top comment\noperationIds:\n  - listUsers # the list\n# trailing\n";
    const { text, included } = edited(yaml, (doc) => addEndpoints(doc, [API[2], API[3]]));
    expect(included).toEqual(["listUsers", "getUser", "delete /users/{id}"]);
    expect(text).toContain("# top comment");
    expect(text).toContain("- listUsers # the list");
    expect(text).toContain("# trailing");
    expect(text).toMatch(/paths:\n {2}- path: \/users\/\{id\}\n {4}methods: \[delete\]/);
  });

  it("adds to an empty flow list as a block list", () => {
    const { text, included } = edited("operationIds: []\ntags: [keys]\n", (doc) => addEndpoints(doc, [API[0]]));
    expect(included).toEqual(["listUsers", "getUserKey"]);
    expect(text).toContain("operationIds:\n  - listUsers");
  });

  it("removes exact entries and a method of an exact path", () => {
    const yaml = "operationIds:\n  - listUsers\n  # about getUser\n  - getUser\npaths:\n  - path: /users/{id}\n    methods: [get, delete] # both\n";
    const { text, included } = edited(yaml, (doc) => removeEndpoints(doc, "a.yaml", [API[3]], API));
    expect(included).toEqual(["listUsers", "getUser"]);
    expect(text).toContain("methods: [get] # both");
    expect(text).toContain("# about getUser");
  });

  it("replaces a glob or tag that covers a removed endpoint by the endpoints it still covered, keeping the rule in a comment", () => {
    const yaml = "# mine\npaths:\n  - path: /users/** # everything about users\ntags: [keys]\n";
    const { text, included } = edited(yaml, (doc) => removeEndpoints(doc, "a.yaml", [API[4]], API));
    expect(included).toEqual(["getUser", "delete /users/{id}"]);
    expect(text).toContain("# mine");
    expect(text).toMatch(/#\s+- path: \/users\/\*\* # everything about users/);
    expect(text).toMatch(/#\s+- keys/);
  });

  it("refuses a removal that leaves nothing", () => {
    expect(() => edited("operationIds: [getUser]\n", (doc) => removeEndpoints(doc, "a.yaml", [API[2]], API))).toThrow(/no endpoint to generate/);
  });
});

describe("include_endpoints in picofun.toml", () => {
  it("goes at the top level, before the first table and the comments above it", () => {
    const toml = '# head\nnamespace = "x" # ns\n\n# server settings\n[server]\nurl = "https://a"\n';
    const out = withIncludeEndpoints(toml, "include-endpoints.yaml");
    expect(out).toBe('# head\nnamespace = "x" # ns\ninclude_endpoints = "include-endpoints.yaml"\n\n# server settings\n[server]\nurl = "https://a"\n');
    expect(parseToml(out)).toMatchObject({ namespace: "x", include_endpoints: "include-endpoints.yaml", server: { url: "https://a" } });
  });

  it("works without tables, without a final newline, and with CRLF", () => {
    expect(withIncludeEndpoints('namespace = "x"', "a.yaml")).toBe('namespace = "x"\ninclude_endpoints = "a.yaml"\n');
    expect(withIncludeEndpoints('namespace = "x"\r\n[tags]\r\na = "b"\r\n', "a.yaml")).toBe(
      'namespace = "x"\r\ninclude_endpoints = "a.yaml"\r\n[tags]\r\na = "b"\r\n',
    );
    expect(withIncludeEndpoints("", "a.yaml")).toBe('include_endpoints = "a.yaml"\n');
  });
});
