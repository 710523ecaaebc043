import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasProductionDependencies, localSpecsAbsolute, npmCpu, npmFailure } from "../../src/handlers/npmDeps.js";

describe("handlers/package.json for Lambda (npmDeps)", () => {
  it("npm's cpu names of Lambda's architectures", () => {
    expect(npmCpu("x86_64")).toBe("x64");
    expect(npmCpu("arm64")).toBe("arm64");
  });

  it("a package.json with only devDependencies (vitest, esbuild) runs no npm; anything else is npm's to judge", () => {
    expect(hasProductionDependencies(JSON.stringify({ private: true, devDependencies: { vitest: "^3", esbuild: "^0.28.2" } }))).toBe(false);
    expect(hasProductionDependencies(JSON.stringify({ dependencies: {} }))).toBe(false);
    expect(hasProductionDependencies(JSON.stringify({ dependencies: { nanoid: "3.3.11" } }))).toBe(true);
    expect(hasProductionDependencies(JSON.stringify({ optionalDependencies: { x: "1" } }))).toBe(true);
    expect(hasProductionDependencies("{oops")).toBe(true);
    expect(hasProductionDependencies("[]")).toBe(true);
  });

  it("a failed npm run is one line naming the file, whatever npm printed (fast-check)", () => {
    expect(npmFailure("npm error code ETARGET\nnpm error notarget No matching version found for nanoid@99.0.0.\nnpm error A complete log of this run can be found in: /x\n", "h/package.json", "arm64")).toBe(
      "h/package.json: npm could not install the dependencies for Lambda (linux, arm64): notarget No matching version found for nanoid@99.0.0.",
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.array(fc.oneof(fc.constantFrom("npm error ", "npm ERR! ", "\n", "\r\n", "\u2028", "\x1b[31m", "code E404", "npm warn x"), fc.string({ unit: "binary" }))).map((a) => a.join(""))), (stderr) => {
        const line = npmFailure(stderr, "handlers/package.json", "x64");
        expect(line.startsWith("handlers/package.json: npm could not install the dependencies for Lambda (linux, x64): ")).toBe(true);
        expect(line).not.toMatch(/[\x00-\x1f\x7f\u2028\u2029]/);
        expect(line.length).toBeLessThanOrEqual(400);
      }),
      { numRuns: 1000 },
    );
  });

  it("file: and link: dependencies point at the handlers folder, everything else is kept (fast-check)", () => {
    const out = JSON.parse(localSpecsAbsolute(JSON.stringify({ name: "h", dependencies: { a: "file:../lib/a", b: "^1.0.0", c: "link:c" }, devDependencies: { d: "file:/abs/d" } }), "/p/handlers"));
    expect(out).toEqual({ name: "h", dependencies: { a: `file:${join("/p", "lib", "a")}`, b: "^1.0.0", c: `link:${join("/p/handlers", "c")}` }, devDependencies: { d: "file:/abs/d" } });
    const spec = fc.oneof(fc.string(), fc.string().map((s) => `file:${s}`), fc.string().map((s) => `link:${s}`), fc.jsonValue());
    const deps = fc.oneof(fc.dictionary(fc.string(), spec), fc.jsonValue());
    const manifest = fc.oneof(fc.jsonValue(), fc.record({ dependencies: deps, optionalDependencies: deps, name: fc.string() }, { requiredKeys: [] }));
    fc.assert(
      fc.property(fc.oneof(manifest.map((m) => JSON.stringify(m)), fc.string()), (text) => {
        const result = localSpecsAbsolute(text, "/p/handlers");
        let before: unknown;
        try {
          before = JSON.parse(text);
        } catch {
          expect(result).toBe(text);
          return;
        }
        const after = JSON.parse(result) as unknown;
        // Same keys and values, but relative local specs made absolute under /p/handlers.
        const norm = (m: unknown): unknown => JSON.parse(JSON.stringify(m, (_k, v: unknown) => (typeof v === "string" && /^(file|link):/.test(v) ? "LOCAL" : v)));
        expect(norm(after)).toEqual(norm(before));
        for (const field of ["dependencies", "optionalDependencies"]) {
          const d = (after as Record<string, unknown> | null)?.[field];
          if (d && typeof d === "object" && !Array.isArray(d) && !Array.isArray(after)) for (const v of Object.values(d)) if (typeof v === "string" && /^(file|link):/.test(v)) expect(v.replace(/^(file|link):/, "").startsWith("/")).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
