import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { attributeReferences, awsProviderSchema, schemaAt, usedBlocks, type AwsSchema, type UsedBlock } from "../support/providerSchema.js";
import { describeWithTools } from "../support/skip.js";
import { FAKE_PROVIDER_LINES, planFolder, terraform, type RootPlan } from "../support/terraform.js";

/**
 * What the AWS provider's 6.0 upgrade guide removes or changes in the resources and data sources
 * picofun generates (website/docs/guides/version-6-upgrade.html.markdown), keyed by type
 * (`data.` for data sources), each with the reason a module must not use it.
 */
const GUIDE_6_0: Record<string, Array<[path: string, reason: string]>> = {
  "data.aws_region": [["name", "6.0 deprecates data.aws_region's name for region, which 5.100 does not have: id is the Region in both"]],
  aws_api_gateway_deployment: [
    ["stage_name", "6.0 removes aws_api_gateway_deployment's stage_name: the stage is an aws_api_gateway_stage"],
    ["stage_description", "6.0 removes aws_api_gateway_deployment's stage_description: the stage is an aws_api_gateway_stage"],
    ["canary_settings{}", "6.0 removes aws_api_gateway_deployment's canary_settings: they belong to aws_api_gateway_stage"],
    ["invoke_url", "6.0 removes aws_api_gateway_deployment's invoke_url: read it from aws_api_gateway_stage"],
    ["execution_arn", "6.0 removes aws_api_gateway_deployment's execution_arn: read it from aws_api_gateway_rest_api or the stage"],
  ],
  aws_api_gateway_account: [["reset_on_delete", "6.0 removes aws_api_gateway_account's reset_on_delete (a destroy always resets the account's settings)"]],
};

/** Every type the generated modules use, each checked against the 6.0 guide (only the ones above are in it). */
const AUDITED = [
  "data.aws_iam_policy_document",
  "data.aws_partition",
  "data.aws_region",
  "aws_api_gateway_account",
  "aws_api_gateway_api_key",
  "aws_api_gateway_deployment",
  "aws_api_gateway_method_settings",
  "aws_api_gateway_rest_api",
  "aws_api_gateway_stage",
  "aws_api_gateway_usage_plan",
  "aws_api_gateway_usage_plan_key",
  "aws_cloudwatch_log_group",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_kms_alias",
  "aws_kms_key",
  "aws_lambda_function",
  "aws_lambda_layer_version",
  "aws_lambda_permission",
  "aws_secretsmanager_secret",
  "aws_security_group",
  "aws_sfn_state_machine",
  "aws_ssm_parameter",
  // Not in the 6.0 guide.
  "aws_wafv2_web_acl_association",
];

/** Provider arguments 6.0 removes (and the one it deprecates for 7.0). */
const REMOVED_PROVIDER_ARGUMENTS = ["opsworks", "simpledb", "sdb", "worklink", "iotanalytics", "iotevents", "s3_us_east_1_regional_endpoint"];

const CONSTRAINT = 'version = ">= 5.100, < 7.0"';

const key = (b: { mode: string; type: string }) => (b.mode === "data" ? `data.${b.type}` : b.type);

describeWithTools("generated Terraform only uses what AWS provider 5.100 and 6.x both accept", ["terraform"], () => {
  let project: string;
  let modules: Record<string, string>;
  let plan: RootPlan;
  let validate: string;
  let schema: AwsSchema;
  let used: UsedBlock[];
  let wizard: RootPlan;
  let wizardDir: string;

  beforeAll(async () => {
    // The orders example with an API key AND a bearer token, so credentials, authorizers and the usage plan are generated too.
    project = tempProject();
    const spec = yaml.load(readFileSync(ORDERS_SPEC, "utf8")) as Record<string, any>;
    spec.components.securitySchemes = { apiKey: { type: "apiKey", in: "header", name: "x-api-key" }, bearer: { type: "http", scheme: "bearer" } };
    spec.security = [{ apiKey: [], bearer: [] }];
    writeFileSync(join(project, "orders.json"), JSON.stringify(spec));
    const configs: Record<string, string[]> = {
      client: ['output_dir = "client"', 'vpc_id = "vpc-0011223344556677f"', 'subnets = ["subnet-0123456789abcdef0"]', "[stepfunctions]", "example = true"],
      client_secrets: ['output_dir = "client_secrets"', "[auth]", 'store = "secretsmanager"'],
      api: ['output_dir = "api"', 'kind = "api"'],
    };
    modules = {};
    for (const [name, lines] of Object.entries(configs)) {
      writeFileSync(join(project, `${name}.toml`), ['namespace = "orders"', 'spec = "orders.json"', ...lines].join("\n"));
      const res = await runCli(["-c", `${name}.toml`, "--yes"], { cwd: project });
      expect(res.code, res.stderr).toBe(0);
      modules[name] = join(project, name);
    }
    const root = join(project, "root");
    const body = [
      ...FAKE_PROVIDER_LINES,
      "}",
      `module "client" {\n  source = "${modules.client}"\n}`,
      // A second instance with one shared log group, so the logging_config block is planned too.
      `module "client_secrets" {\n  source           = "${modules.client_secrets}"\n  namespace        = "orders-sm"\n  shared_log_group = true\n}`,
      // The api kind with the review options (docs/review.md), so the VPC, WAF and cache are planned too.
      `module "api" {\n  source = "${modules.api}"\n  vpc_id = "vpc-0011223344556677f"\n  subnets = ["subnet-0123456789abcdef0"]\n  waf_web_acl_arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/a1b2c3d4-5678-90ab-cdef-111122223333"\n  api_cache_cluster_size = "0.5"\n  code_signing_config_arn = "arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-0123456789abcdef0"\n}`,
    ];
    mkdirSync(root);
    writeFileSync(join(root, "main.tf"), body.join("\n\n") + "\n");
    plan = await planFolder(root);
    expect(plan.code, plan.plan).toBe(0);
    validate = (await terraform(["validate"], root)).out;
    schema = await awsProviderSchema(root);
    used = usedBlocks(plan.json, schema);

    // The root module picofun init writes, planned from its project folder as the next steps say.
    const res = await runCli(["init", "proj", "--yes", "--spec", ORDERS_SPEC, "--namespace", "orders"], { cwd: project });
    expect(res.code, res.stderr).toBe(0);
    wizardDir = join(project, "proj");
    writeFileSync(join(wizardDir, "provider_override.tf"), [...FAKE_PROVIDER_LINES.filter((l) => !l.includes("region ")), "}", ""].join("\n"));
    wizard = await planFolder(wizardDir, { TF_VAR_region: "eu-west-1" });
    expect(wizard.code, wizard.plan).toBe(0);
  }, 600_000);

  it("plans every resource kind with 5.100 and no warning (5.100 warns about what 6.0 removes)", () => {
    const types = used.map(key).sort();
    for (const t of ["aws_api_gateway_deployment", "aws_api_gateway_account", "aws_ssm_parameter", "aws_secretsmanager_secret", "aws_sfn_state_machine", "aws_security_group", "aws_lambda_permission", "aws_wafv2_web_acl_association"]) {
      expect(types, `${t} is generated, so it is checked`).toContain(t);
    }
    for (const text of [validate, plan.plan, wizard.plan]) expect(text).not.toMatch(/Warning:/);
  });

  it("every resource and data source type is one audited against the 6.0 upgrade guide", () => {
    for (const t of used.map(key)) expect(AUDITED, `${t} is new in the generated Terraform: check it against the AWS provider's 6.0 upgrade guide, then add it to AUDITED (and GUIDE_6_0 if the guide changes it)`).toContain(t);
  });

  it("sets no argument or block 5.100 deprecates and none the 6.0 guide removes, and no per-resource region", () => {
    for (const b of used) {
      const block = (b.mode === "data" ? schema.dataSources : schema.resources)[b.type].block;
      for (const path of b.paths) {
        const entry = schemaAt(block, path);
        expect(entry, `${key(b)} sets ${path}, which provider 5.100 does not have`).toBeDefined();
        expect(entry?.deprecated ?? false, `${key(b)} sets ${path}, deprecated in provider 5.100 (6.0 removes what 5.x deprecates)`).toBe(false);
      }
      expect(b.paths.has("region"), `${key(b)} sets region: 6.0's Enhanced Region Support adds it to every regional resource and 5.100 refuses it; the Region comes from the provider`).toBe(false);
      for (const [path, reason] of GUIDE_6_0[key(b)] ?? []) expect(b.paths.has(path), `${key(b)} sets ${path}: ${reason}`).toBe(false);
    }
  });

  it("reads no attribute 5.100 deprecates or the 6.0 guide removes: the Region is data.aws_region's id", () => {
    const refs = Object.values(modules).flatMap((dir) => attributeReferences(dir));
    expect(refs.length).toBeGreaterThan(50);
    for (const r of refs) {
      const block = (r.mode === "data" ? schema.dataSources : schema.resources)[r.type]?.block;
      expect(block, `${r.file}: ${r.text} names a type provider 5.100 does not have`).toBeDefined();
      const entry = schemaAt(block!, r.attribute);
      expect(entry, `${r.file}: ${r.text} reads an attribute provider 5.100 does not have`).toBeDefined();
      expect(entry?.deprecated ?? false, `${r.file}: ${r.text} is deprecated in provider 5.100 (6.0 removes what 5.x deprecates)`).toBe(false);
      expect(r.attribute === "region", `${r.file}: ${r.text}: in 6.x region is the per-resource Region override (Enhanced Region Support); 5.100 has no such attribute`).toBe(false);
      for (const [path, reason] of GUIDE_6_0[key(r)] ?? []) expect(r.attribute, `${r.file}: ${r.text}: ${reason}`).not.toBe(path);
    }
    const region = refs.filter((r) => r.type === "aws_region");
    expect(region.length).toBeGreaterThanOrEqual(3);
    expect([...new Set(region.map((r) => r.attribute))], "data.aws_region: id is the Region in 5.100 and 6.x (name is deprecated in 6.x, region missing in 5.100)").toEqual(["id"]);
  });

  it("declares >= 5.100, < 7.0 everywhere, and the wizard's provider block uses no argument 6.0 removes", () => {
    for (const dir of Object.values(modules)) expect(readFileSync(join(dir, "versions.tf"), "utf8"), dir).toContain(CONSTRAINT);
    const main = readFileSync(join(wizardDir, "main.tf"), "utf8");
    expect(main).toContain(CONSTRAINT);
    const provider = main.slice(main.indexOf('provider "aws" {'), main.indexOf("}", main.indexOf('provider "aws" {')) + 1);
    expect(provider).toContain("region = var.region");
    for (const arg of REMOVED_PROVIDER_ARGUMENTS) expect(provider, `the provider block sets ${arg}, which 6.0 removes (or deprecates)`).not.toMatch(new RegExp(`\\b${arg}\\b`));
  });
});
