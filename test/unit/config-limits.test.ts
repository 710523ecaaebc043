import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "smol-toml";
import { describe, expect, it } from "vitest";
import { LOG_RETENTION_DAYS, layerCount, TAG_LIMITS } from "../../src/config/awsLimits.js";
import { loadConfig } from "../../src/config/load.js";
import { UserError } from "../../src/util/errors.js";
import { parseTags } from "../../src/wizard/answers.js";

const layer = (n: number) => `arn:aws:lambda:eu-west-1:123456789012:layer:l${n}:1`;

function load(raw: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), "picofun-limits-"));
  writeFileSync(join(dir, "picofun.toml"), stringify({ namespace: "ns", spec: "api.yaml", ...raw }));
  return loadConfig({}, dir);
}

function refusal(raw: Record<string, unknown>): string {
  try {
    load(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(raw).slice(0, 200)}`);
}

describe("AWS limits in picofun.toml (issue 28, lows)", () => {
  it("log_retention_days: only the values CloudWatch Logs allows", () => {
    expect(refusal({ log_retention_days: 2 })).toMatch(/"log_retention_days" must be one CloudWatch Logs allows: 1, 3, 5, 7, 14.*; got 2$/);
    expect(refusal({ log_retention_days: 366 })).toContain("got 366");
    for (const days of [1, 14, 365, 3653]) expect(load({ log_retention_days: days }).logRetentionDays).toBe(days);
  });

  it("layers: at most 5 a function, counting the runtime and Powertools layers picofun adds", () => {
    expect(refusal({ layers: [1, 2, 3, 4, 5, 6].map(layer), kind: "api" })).toContain("5 layers or fewer, this config gives it 6");
    expect(load({ layers: [1, 2, 3, 4, 5].map(layer), kind: "api" }).layers).toHaveLength(5);
    // client: 4 + runtime + Powertools = 6
    expect(refusal({ layers: [1, 2, 3, 4].map(layer) })).toContain('gives it 6 (4 in "layers" and 2 picofun adds: the runtime layer and Powertools; powertools_layer = false drops that one)');
    expect(load({ layers: [1, 2, 3, 4].map(layer), powertools_layer: false }).layers).toHaveLength(4);
    expect(load({ layers: [1, 2, 3].map(layer) }).layers).toHaveLength(3);
  });

  it("tags: 50 a resource with generated_by, keys up to 128, values up to 256, no aws: prefix", () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    expect(refusal({ tags: many(50) })).toContain("50 tags and picofun's generated_by make 51: AWS allows 50 tags a resource");
    expect(refusal({ tags: many(100_000) })).toContain("AWS allows 50 tags");
    expect(Object.keys(load({ tags: many(49) }).tags)).toHaveLength(49);
    expect(Object.keys(load({ tags: { ...many(49), generated_by: "me" } }).tags)).toHaveLength(50);
    expect(refusal({ tags: { ["k".repeat(129)]: "v" } })).toContain("is longer than 128 characters");
    expect(refusal({ tags: { team: "v".repeat(257) } })).toContain('tag "team" has a value longer than 256 characters');
    expect(refusal({ tags: { "AWS:team": "x" } })).toContain('starts with "aws:"');
    expect(refusal({ tags: { "": "x" } })).toContain("a tag key cannot be empty");
  });

  it("the wizard's --tag answers follow the same rules", () => {
    expect(parseTags(Array.from({ length: 50 }, (_, i) => `k${i}=v`))).toContain("AWS allows 50 tags");
    expect(parseTags(["aws:x=1"])).toContain('starts with "aws:"');
    const proto = parseTags(["__proto__=x"]) as Record<string, string>;
    expect(Object.keys(proto)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  });

  it("property: any generated values give a config within AWS's limits or one UserError line", () => {
    const text = fc.string({ maxLength: 300, unit: "binary" });
    const arn = fc.nat({ max: 99 }).map(layer);
    const raw = fc.record(
      {
        kind: fc.constantFrom("client", "api"),
        log_retention_days: fc.oneof(fc.constantFrom(...LOG_RETENTION_DAYS), fc.integer({ min: -10, max: 4000 }), fc.double(), text),
        layers: fc.oneof(fc.array(arn, { maxLength: 8 }), fc.array(text, { maxLength: 3 })),
        powertools_layer: fc.boolean(),
        tags: fc.oneof(
          fc.dictionary(fc.string({ maxLength: 140, unit: "grapheme" }), fc.string({ maxLength: 300 }), { maxKeys: 60 }),
          fc.dictionary(fc.constantFrom("aws:a", "AWS:b", "team", "", "generated_by", "__proto__"), fc.oneof(text, fc.integer())),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(raw, (r) => {
        let config;
        try {
          config = load(r);
        } catch (err) {
          expect(err).toBeInstanceOf(UserError);
          expect((err as Error).message).not.toMatch(/\n/);
          return;
        }
        expect(LOG_RETENTION_DAYS).toContain(config.logRetentionDays);
        expect(layerCount(config)).toBeLessThanOrEqual(5);
        const tags = Object.entries(config.tags);
        expect(tags.length + (Object.hasOwn(config.tags, "generated_by") ? 0 : 1)).toBeLessThanOrEqual(TAG_LIMITS.count);
        for (const [k, v] of tags) {
          expect(k.length >= 1 && k.length <= TAG_LIMITS.key && v.length <= TAG_LIMITS.value && !/^aws:/i.test(k)).toBe(true);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
});
