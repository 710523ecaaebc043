import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { allowlistYaml } from "../../src/wizard/endpoints.js";
import { BREAKERS } from "../support/hostileSpec.js";

const SEED = Number(process.env.PICOFUN_SEED ?? 20261206);

describe("include-endpoints.yaml from hostile spec text (fast-check)", () => {
  it("the YAML picofun writes reads back as exactly the paths, operationIds and tags it was made from", async () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom(...BREAKERS), fc.string({ unit: "binary", maxLength: 2 })), minLength: 1, maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 3 }), fc.array(text, { maxLength: 3 }), fc.array(text, { maxLength: 3 }), async (paths, operationIds, tags) => {
        const subset = { paths: paths.map((p) => ({ path: `/${p}`, methods: ["get"] })), operationIds, tags, count: 1 };
        const back = parse(await allowlistYaml(subset)) as Record<string, unknown>;
        expect(back.paths).toEqual(subset.paths.map((p) => ({ path: p.path, methods: p.methods })));
        expect(back.operationIds ?? []).toEqual(operationIds);
        expect(back.tags ?? []).toEqual(tags);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
