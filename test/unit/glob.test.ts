import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Endpoint, HttpMethod } from "../../src/model/types.js";
import { loadAllowlist, MAX_ALLOWLIST_BYTES } from "../../src/select/allowlist.js";
import { compileGlob } from "../../src/select/glob.js";
import { pathMatcher, selectEndpoints } from "../../src/select/match.js";
import { UserError } from "../../src/util/errors.js";

/** The definition, written the slow and obvious way (exponential; small inputs only). */
function reference(pattern: string, path: string): boolean {
  const seg = (p: string, s: string): boolean => {
    if (!/[*?]/.test(p)) return p === s;
    if (s === "" || s === "." || s === "..") return false;
    const re = p.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === "*" ? ".*" : c === "?" ? "." : `\\${c}`));
    return new RegExp(`^${re}$`, "s").test(s);
  };
  const walk = (p: string[], s: string[]): boolean => {
    if (!p.length) return !s.length;
    if (p[0] === "**") return walk(p.slice(1), s) || (s.length > 0 && s[0] !== "." && s[0] !== ".." && walk(p, s.slice(1)));
    return s.length > 0 && seg(p[0], s[0]) && walk(p.slice(1), s.slice(1));
  };
  return walk(pattern.split("/"), path.split("/"));
}

function ep(method: HttpMethod, path: string, operationId: string): Endpoint {
  return { method, path, operationId, tags: [], deprecated: false, parameters: [], responses: [] };
}

describe("path globs (issue 28: a glob of 3,000 segments was an internal error)", () => {
  it("a glob of 3,000 segments, and one that made the old regular expression backtrack for minutes, match at once", () => {
    const long = `/${Array(3000).fill("*").join("/")}`;
    expect(pathMatcher(long)("/a/b")).toBe(false);
    expect(pathMatcher(long)(`/${Array(3000).fill("x").join("/")}`)).toBe(true);
    // Before: /*a*a*a*a*a*a*a*b against 80 characters took 35 s in picomatch's regular expression.
    expect(pathMatcher(`/${"*a".repeat(40)}b`)(`/${"a".repeat(5000)}`)).toBe(false);
    expect(pathMatcher(`/${"**/".repeat(200)}x`)(`/${"a/".repeat(2000)}y`)).toBe(false);
  });

  it("property: the same answers as the definition, for any pattern and path", () => {
    const part = fc.stringMatching(/^[ab.*?{}()-]{0,4}$/);
    const seg = fc.oneof(fc.constant("**"), part);
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 6 }), fc.array(fc.stringMatching(/^[ab.{}-]{0,3}$/), { maxLength: 6 }), (ps, ss) => {
        const pattern = `/${ps.join("/")}`;
        const path = `/${ss.join("/")}`;
        expect(compileGlob(pattern)(path), `${pattern} on ${path}`).toBe(reference(pattern, path));
      }),
      { numRuns: 5000 },
    );
  });

  it("property: any include_endpoints text is an allowlist or one UserError line, never an internal error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "picofun-glob-"));
    const endpoints = [ep("get", "/users", "a"), ep("get", "/users/{id}", "b"), ep("post", "/a/b/c/d", "c"), ep("get", "/", "d")];
    const glob = fc.array(fc.oneof(fc.constantFrom("*", "**", "?", "{id}", "users", ".", "..", "[", "!", "+(a)", "\\"), fc.string({ maxLength: 5 })), { maxLength: 40 }).map((p) => `/${p.join("/")}`);
    const text = fc.oneof(
      fc.array(glob, { maxLength: 4 }).map((globs) => `paths:\n${globs.map((g) => `  - ${JSON.stringify(g)}`).join("\n")}\n`),
      fc.array(fc.record({ path: fc.oneof(glob, fc.string()), methods: fc.array(fc.string({ maxLength: 7 }), { maxLength: 3 }) }), { maxLength: 3 }).map((rules) => JSON.stringify({ paths: rules })),
      fc.string({ maxLength: 200, unit: "binary" }),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const file = join(dir, `inc${n++}.yaml`);
        writeFileSync(file, t);
        try {
          const allow = await loadAllowlist(file);
          selectEndpoints(endpoints, allow);
        } catch (err) {
          expect(err, String(err)).toBeInstanceOf(UserError);
          expect((err as Error).message).not.toMatch(/\n/);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("an allowlist is read up to 4 MB: /dev/zero and a big file are one line, not a 14 GB read", async () => {
    await expect(loadAllowlist("/dev/zero")).rejects.toThrow(/^\/dev\/zero holds more than 4 MB: an include_endpoints allowlist is a short list/);
    const file = join(mkdtempSync(join(tmpdir(), "picofun-glob-")), "big.yaml");
    writeFileSync(file, `paths:\n${"  - /x\n".repeat(MAX_ALLOWLIST_BYTES / 7 + 1)}`);
    await expect(loadAllowlist(file)).rejects.toBeInstanceOf(UserError);
  });
});
