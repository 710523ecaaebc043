import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../../src/config/schema.js";
import { REPO } from "../support/env.js";

/**
 * The review options are checked three times: the Terraform variables' validation blocks, the CDK
 * constructs' checks (templates/cdk/common/review.ts) and, for vpc_id/subnets, picofun.toml. The
 * three must take exactly the same values, hostile ones included.
 */
const tf = readFileSync(join(REPO, "templates", "api", "terraform", "variables.tf.hbs"), "utf8");
const cdk = readFileSync(join(REPO, "templates", "cdk", "common", "review.ts"), "utf8");

function tfPattern(variable: string): RegExp {
  const m = new RegExp(`can\\(regex\\("([^"]+)", (?:var\\.${variable}|s)\\)\\)`).exec(tf.slice(tf.indexOf(`variable "${variable}"`)));
  if (!m) throw new Error(`no regex in variable ${variable}`);
  return new RegExp(m[1]);
}

function cdkPattern(name: string): RegExp {
  const m = new RegExp(`const ${name} = /(.+)/;`).exec(cdk);
  if (!m) throw new Error(`no ${name} in review.ts`);
  return new RegExp(m[1]);
}

const hex = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: n, maxLength: n });
const account = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 12, maxLength: 12 });
const valid = {
  code_signing_config_arn: fc.tuple(account, hex(17)).map(([a, h]) => `arn:aws:lambda:eu-west-1:${a}:code-signing-config:csc-${h}`),
  waf_web_acl_arn: fc.tuple(account, hex(8)).map(([a, h]) => `arn:aws:wafv2:eu-west-1:${a}:regional/webacl/edge/${h}-5678-90ab-cdef-111122223333`),
  vpc_id: hex(17).map((h) => `vpc-${h}`),
  subnets: hex(17).map((h) => `subnet-${h}`),
};
/** A valid value with one character inserted, removed or replaced by anything (newlines, slashes, unicode). */
function hostile(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    base,
    fc.tuple(base, fc.nat(), fc.string({ unit: "binary", minLength: 1, maxLength: 3 }), fc.constantFrom("insert", "replace", "remove")).map(([s, i, c, how]) => {
      const at = i % (s.length + 1);
      if (how === "insert") return s.slice(0, at) + c + s.slice(at);
      if (how === "replace") return s.slice(0, at) + c + s.slice(at + 1);
      return s.slice(0, at) + s.slice(at + 1);
    }),
    fc.string({ unit: "binary" }),
  );
}

describe("review options: Terraform, CDK and picofun.toml take the same values", () => {
  const pairs: Array<[string, string]> = [
    ["code_signing_config_arn", "CODE_SIGNING_ARN"],
    ["waf_web_acl_arn", "WAF_ARN"],
    ["vpc_id", "VPC_ID"],
    ["subnets", "SUBNET_ID"],
  ];
  for (const [variable, constant] of pairs) {
    it(`${variable}: the variable's validation and the construct's check agree`, () => {
      const a = tfPattern(variable);
      const b = cdkPattern(constant);
      fc.assert(fc.property(hostile(valid[variable as keyof typeof valid]), (v) => a.test(v) === b.test(v)), { numRuns: 2000 });
      fc.assert(fc.property(valid[variable as keyof typeof valid], (v) => a.test(v)));
    });
  }

  it("vpc_id and subnets: picofun.toml's patterns agree with the module's", () => {
    for (const [key, variable] of [["vpc_id", "vpc_id"], ["subnets", "subnets"]] as const) {
      const toml = CONFIG_KEYS[key].pattern!.re;
      const mod = tfPattern(variable);
      fc.assert(fc.property(hostile(valid[variable]), (v) => toml.test(v) === mod.test(v)), { numRuns: 2000 });
    }
  });

  it("the cache sizes are the same list in both", () => {
    const tfSizes = /contains\((\[[^\]]+\]), var\.api_cache_cluster_size\)/.exec(tf)![1];
    const cdkSizes = /export const CACHE_SIZES = (\[[^\]]+\]);/.exec(cdk)![1];
    expect(JSON.parse(tfSizes)).toEqual(JSON.parse(cdkSizes));
  });
});
