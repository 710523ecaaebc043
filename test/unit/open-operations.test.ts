import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applySecurity } from "../../src/kinds/api/gateway/enforce.js";
import { checkOpenOperations, unmarkedOpen } from "../../src/kinds/api/openOperations.js";
import { securityModel } from "../../src/kinds/api/gateway/security.js";
import type { Endpoint } from "../../src/model/types.js";

const METHODS = ["get", "post", "put", "delete", "patch"] as const;
type Marking = "none" | "open" | "key";

/** A spec whose operations each have no security, an explicit security: [], or the API key. */
function specOf(ops: Array<{ path: string; method: string; marking: Marking; tag: string }>, root: Marking) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const o of ops) {
    const op: Record<string, unknown> = { operationId: `${o.method}_${o.path.replace(/\W/g, "_")}`, tags: [o.tag], responses: { "200": { description: "ok" } } };
    if (o.marking === "open") op.security = [];
    if (o.marking === "key") op.security = [{ key: [] }];
    (paths[o.path] ??= {})[o.method] = op;
  }
  const doc: Record<string, unknown> = { openapi: "3.0.3", info: { title: "t", version: "1" }, paths, components: { securitySchemes: { key: { type: "apiKey", in: "header", name: "x-api-key" } } } };
  if (root === "open") doc.security = [];
  if (root === "key") doc.security = [{ key: [] }];
  return doc;
}

function endpointsOf(doc: Record<string, any>): Endpoint[] {
  return Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method, path, operationId: op.operationId, tags: op.tags }) as unknown as Endpoint),
  );
}

const operation = fc.record({
  path: fc.constantFrom("/a", "/a/{id}", "/b", "/b/c", "/__proto__", "/constructor"),
  method: fc.constantFrom(...METHODS),
  marking: fc.constantFrom<Marking>("none", "open", "key"),
  tag: fc.constantFrom("x", "y", "__proto__"),
});

describe("open operations (secure by default)", () => {
  it("names exactly the operations without security and not selected by public_operations; explicit security: [] is kept in the definition", () => {
    fc.assert(
      fc.property(fc.uniqueArray(operation, { selector: (o) => `${o.method} ${o.path}`, minLength: 1, maxLength: 10 }), fc.constantFrom<Marking>("none", "open", "key"), fc.subarray(["tag:x", "/a/*", "GET /b", "/**", "tag:__proto__"]), (ops, root, publicOps) => {
        const doc = specOf(ops, root);
        const model = securityModel(doc);
        const endpoints = endpointsOf(doc);
        const effective = (o: (typeof ops)[number]) => (o.marking === "none" ? root : o.marking);
        const selected = (o: (typeof ops)[number]) =>
          publicOps.some((s) => (s === "tag:x" && o.tag === "x") || (s === "tag:__proto__" && o.tag === "__proto__") || (s === "/a/*" && o.path === "/a/{id}") || (s === "GET /b" && o.method === "get" && o.path === "/b") || s === "/**");
        const unmarked = ops.filter((o) => effective(o) === "none");
        expect(unmarkedOpen(model).sort()).toEqual(unmarked.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort());
        const warned = unmarked.filter((o) => !selected(o)).map((o) => `${o.method.toUpperCase()} ${o.path}`);
        const warnings = checkOpenOperations(model, endpoints, { publicOperations: publicOps, strict: false, location: "spec" });
        const line = warnings.find((w) => w.startsWith("open to the internet"));
        if (!warned.length) expect(line).toBeUndefined();
        else for (const key of warned) expect(line).toContain(key);
        if (warned.length) expect(() => checkOpenOperations(model, endpoints, { publicOperations: publicOps, strict: true, location: "spec" })).toThrow(/open to the internet/);
        else expect(() => checkOpenOperations(model, endpoints, { publicOperations: publicOps, strict: true, location: "spec" })).not.toThrow();
        const def = structuredClone(doc) as Record<string, any>;
        applySecurity(def, model);
        for (const o of ops) {
          const got = def.paths[o.path][o.method].security;
          const want = { none: undefined, open: [], key: [{ key: [] }] }[effective(o)];
          expect(got, `${o.method} ${o.path}`).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });
});
