import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { checkov, type CheckovResult } from "../support/review.js";
import { describeWithTools } from "../support/skip.js";

/** What a module's caller sets to turn on every review option of the api kind (docs/review.md). */
const API_OPTIONS = [
  'vpc_id                  = "vpc-0011223344556677f"',
  'subnets                 = ["subnet-0123456789abcdef0"]',
  'waf_web_acl_arn         = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/a1b2c3d4-5678-90ab-cdef-111122223333"',
  'api_cache_cluster_size  = "0.5"',
  'code_signing_config_arn = "arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-0123456789abcdef0"',
  'log_kms_key_id          = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
].join("\n");

const summary = (r: CheckovResult) => r.failed.map((f) => `${f.id} ${f.resource} (${f.file})`).join("\n");

describeWithTools("checkov finds nothing unsuppressed in the generated Terraform", ["review"], () => {
  let project: string;
  const modules: Record<string, string> = {};
  const results: Record<string, CheckovResult> = {};
  const ms: Record<string, number> = {};

  beforeAll(async () => {
    project = tempProject();
    // The orders example with an API key AND a bearer token: credentials in SSM or Secrets Manager.
    const spec = yaml.load(readFileSync(ORDERS_SPEC, "utf8")) as Record<string, any>;
    spec.components.securitySchemes = { apiKey: { type: "apiKey", in: "header", name: "x-api-key" }, bearer: { type: "http", scheme: "bearer" } };
    spec.security = [{ apiKey: [], bearer: [] }];
    writeFileSync(join(project, "orders.json"), JSON.stringify(spec));
    cpSync(join(REPO, "test", "fixtures", "api", "secured.yaml"), join(project, "secured.yaml"));
    const configs: Record<string, string[]> = {
      ssm: ['spec = "orders.json"', 'output_dir = "ssm"', "[stepfunctions]", "example = true"],
      secrets: ['spec = "orders.json"', 'output_dir = "secrets"', "[auth]", 'store = "secretsmanager"'],
      vpc: ['spec = "orders.json"', 'output_dir = "vpc"', 'vpc_id = "vpc-0011223344556677f"', 'subnets = ["subnet-0123456789abcdef0"]'],
      // Authorizers (bearer, basic, OAuth2, query key) and an API key with its usage plan.
      api: ['spec = "secured.yaml"', 'output_dir = "api"', 'kind = "api"'],
    };
    for (const [name, lines] of Object.entries(configs)) {
      writeFileSync(join(project, `${name}.toml`), ['namespace = "orders"', ...lines].join("\n"));
      const res = await runCli(["-c", `${name}.toml`, "--yes"], { cwd: project });
      expect(res.code, res.stderr).toBe(0);
      modules[name] = join(project, name);
    }
    writeFileSync(join(project, "api-options.tfvars"), `${API_OPTIONS}\n`);
    for (const name of Object.keys(configs)) {
      const started = Date.now();
      results[name] = await checkov(modules[name]);
      ms[name] = Date.now() - started;
    }
    results["api with every option"] = await checkov(modules.api, join(project, "api-options.tfvars"));
    console.log(`[review] checkov: ${Object.entries(ms).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(", ")}`);
  }, 600_000);

  for (const name of ["ssm", "secrets", "vpc", "api", "api with every option"]) {
    it(`${name}: no failed check, and checks did run`, () => {
      const r = results[name];
      expect(r.failed, summary(r)).toEqual([]);
      expect(r.passed).toBeGreaterThan(50);
    });
  }

  it("the Step Functions example, the credentials and the VPC are among what was checked", () => {
    const skippedIds = (name: string) => new Set(results[name].skipped.map((s) => s.id));
    expect(skippedIds("ssm")).toContain("CKV_AWS_284");
    expect(skippedIds("secrets")).toContain("CKV2_AWS_57");
    expect(skippedIds("vpc")).toContain("CKV_AWS_111");
    expect(skippedIds("api")).toContain("CKV2_AWS_29");
  });

  it("every suppression names its reason, and docs/review.md lists its rule", () => {
    const doc = readFileSync(join(REPO, "docs", "review.md"), "utf8");
    const all = Object.values(results).flatMap((r) => r.skipped);
    expect(all.length).toBeGreaterThan(20);
    for (const s of all) {
      expect(s.reason.length, `${s.id} on ${s.resource} is suppressed without a reason`).toBeGreaterThan(20);
      expect(doc, `${s.id} is suppressed in the generated Terraform but missing from docs/review.md`).toContain(`\`${s.id}\``);
    }
  });

  it("fails on findings brought in on purpose: a suppression removed, a setting removed", async () => {
    const copy = tempProject(modules.api);
    const lambda = join(copy, "lambda.tf");
    const withSkip = readFileSync(lambda, "utf8");
    expect(withSkip).toMatch(/^ {2}#checkov:skip=CKV_AWS_116:.*\n/m);
    writeFileSync(lambda, withSkip.replace(/^ {2}#checkov:skip=CKV_AWS_116:.*\n/m, ""));
    const observability = join(copy, "observability.tf");
    const settings = readFileSync(observability, "utf8");
    const kms = /(resource "aws_cloudwatch_log_group" "access" \{\n(?:.*\n)*?) {2}kms_key_id {8}= var\.log_kms_key_id\n/;
    expect(settings).toMatch(kms);
    writeFileSync(observability, settings.replace(kms, "$1"));
    const r = await checkov(copy, join(project, "api-options.tfvars"));
    const failed = r.failed.map((f) => `${f.id} ${f.resource}`);
    expect(failed).toContain("CKV_AWS_116 aws_lambda_function.this");
    expect(failed).toContain("CKV_AWS_158 aws_cloudwatch_log_group.access");
    expect(r.failed).toHaveLength(2);
  }, 120_000);
});
