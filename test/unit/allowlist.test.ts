import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAllowlist, parseAllowlist } from "../../src/select/allowlist.js";
import { selectEndpoints } from "../../src/select/match.js";
import type { Endpoint, HttpMethod } from "../../src/model/types.js";

function ep(method: HttpMethod, path: string, operationId?: string, tags: string[] = []): Endpoint {
  return { method, path, operationId, tags, deprecated: false, parameters: [], responses: [] };
}

const endpoints = [
  ep("get", "/users", "listUsers"),
  ep("post", "/users", "createUser"),
  ep("get", "/users/{id}", "getUser"),
  ep("get", "/users/{id}/orders", "userOrders"),
  ep("get", "/orders/{id}", "getOrder", ["orders"]),
  ep("delete", "/products/{id}/images/{image}", "deleteImage"),
  ep("get", "/public/status", "status", ["public"]),
];

function pick(data: unknown): string[] {
  return selectEndpoints(endpoints, parseAllowlist(data, "include.yaml")).map((e) => e.operationId!);
}

describe("endpoint allowlist", () => {
  it("matches exact paths with case-insensitive methods", () => {
    expect(pick({ paths: [{ path: "/users", methods: ["GET"] }] })).toEqual(["listUsers"]);
    expect(pick({ paths: [{ path: "/users" }] })).toEqual(["listUsers", "createUser"]);
  });

  it("* is one segment and ** any number", () => {
    expect(pick({ paths: [{ path: "/users/*" }] })).toEqual(["getUser"]);
    expect(pick({ paths: [{ path: "/users/**" }] })).toEqual(["getUser", "userOrders"]);
    expect(pick({ paths: [{ path: "/products/**" }] })).toEqual(["deleteImage"]);
  });

  it("ORs paths, operationIds and tags", () => {
    expect(pick({ paths: ["/users/*"], operationIds: ["createUser"], tags: ["public"] })).toEqual(["createUser", "getUser", "status"]);
  });

  it("treats {braces} in patterns as literal parameter names", () => {
    expect(pick({ paths: [{ path: "/users/{id}/orders" }] })).toEqual(["userOrders"]);
    expect(pick({ paths: [{ path: "/users/{id}/*" }] })).toEqual(["userOrders"]);
  });

  it("rejects empty, invalid and unknown content clearly", async () => {
    expect(() => parseAllowlist(null, "f.yaml")).toThrow(/allowlist is empty/);
    expect(() => parseAllowlist({}, "f.yaml")).toThrow(/allowlist is empty/);
    expect(() => parseAllowlist({ path: ["/x"] }, "f.yaml")).toThrow(/unknown key "path"/);
    expect(() => parseAllowlist({ paths: [{ methods: ["get"] }] }, "f.yaml")).toThrow(/paths\[0\] needs a "path"/);
    expect(() => parseAllowlist({ paths: [{ path: "users" }] }, "f.yaml")).toThrow(/must start with "\/"/);
    await expect(loadAllowlist("/nope/include.yaml")).rejects.toThrow(/include_endpoints file not found/);
    const dir = mkdtempSync(join(tmpdir(), "picofun-allow-"));
    writeFileSync(join(dir, "bad.yaml"), "paths: [\n");
    await expect(loadAllowlist(join(dir, "bad.yaml"))).rejects.toThrow(/invalid YAML/);
  });
});
