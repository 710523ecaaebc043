import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inside } from "../../src/write/staged.js";

/** Path segments a generated (or hostile) relative path may hold: dots, empties, backslashes, spaces, non-ASCII. */
const segment = fc.oneof(
  fc.constantFrom("", ".", "..", "...", ".x", "x.", "a..b", "\\", "a\\b", " ", "é", "\u{1f600}", "stepfunctions", "http"),
  fc.string({ unit: fc.constantFrom("a", ".", "/", "\\", "-", "_", " "), maxLength: 8 }),
);
const rel = fc.array(segment, { minLength: 0, maxLength: 6 }).map((parts) => parts.join("/"));
const folder = fc.array(fc.stringMatching(/^[a-z0-9._-]{1,6}$/), { minLength: 0, maxLength: 4 }).map((parts) => join("/", ...parts));

describe("the staging folder's paths (src/write/staged.ts)", () => {
  it("are join()'s for any relative path, plain or not", () => {
    fc.assert(
      fc.property(folder, rel, (f, r) => {
        expect(inside(f, r)).toBe(join(f, r));
      }),
      { numRuns: 3000 },
    );
  });

  it("are join()'s for the paths a generation writes, and for the unusual ones join changes", () => {
    for (const r of ["stepfunctions/http/github_get_zen.json", "lambdas/a.py", ".picofun/x", "a/.hidden", "a//b", "./a", "a/./b", "a/../b", "..", "/a", "a/", ""]) {
      expect(inside("/out/.picofun-staging", r), r).toBe(join("/out/.picofun-staging", r));
    }
  });
});
