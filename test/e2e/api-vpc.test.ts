import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, planned, type TerraformCheck } from "../support/terraform.js";

const KMS = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const WAF = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/a1b2c3d4-5678-90ab-cdef-111122223333";
const CSC = "arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-0123456789abcdef0";

/**
 * The api kind honours vpc_id and subnets from picofun.toml (they were validated, then dropped):
 * every function (operations and Lambda authorizers) runs in the VPC behind a security group of
 * its own; and the review options (docs/review.md) reach the plan.
 */
describeWithTools("api kind: functions in the VPC, and the review options in the plan", ["terraform"], () => {
  let project: string;
  let tf: TerraformCheck;
  let bare: TerraformCheck;

  beforeAll(async () => {
    project = tempProject();
    cpSync(join(REPO, "test", "fixtures", "api", "secured.yaml"), join(project, "secured.yaml"));
    writeFileSync(
      join(project, "picofun.toml"),
      ['namespace = "pets"', 'spec = "secured.yaml"', 'kind = "api"', 'vpc_id = "vpc-0011223344556677f"', 'subnets = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]'].join("\n"),
    );
    const res = await runCli(["--yes"], { cwd: project });
    expect(res.code, res.stderr).toBe(0);
    tf = await checkTerraform(join(project, "output"), [
      `  waf_web_acl_arn         = "${WAF}"`,
      '  api_cache_cluster_size  = "0.5"',
      `  code_signing_config_arn = "${CSC}"`,
      `  log_kms_key_id          = "${KMS}"`,
      "  log_skip_destroy        = false",
    ]);
    expect(tf.codes, tf.validate + tf.fmt + tf.plan).toEqual([0, 0, 0, 0]);
    bare = await checkTerraform(join(project, "output"), ["  vpc_id = null", "  subnets = []"]);
    expect(bare.codes, bare.plan).toEqual([0, 0, 0, 0]);
  }, 600_000);

  it("puts every function, operations and authorizers, in the VPC's subnets behind the module's security group", () => {
    const functions = tf.resources.filter((r) => r.type === "aws_lambda_function");
    expect(functions.length).toBe(11);
    for (const fn of functions) {
      const vpc = fn.values.vpc_config as Array<{ subnet_ids: string[] }>;
      expect(vpc, fn.address).toHaveLength(1);
      expect([...vpc[0].subnet_ids].sort(), fn.address).toEqual(["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]);
      expect(fn.values.code_signing_config_arn, fn.address).toBe(CSC);
    }
    const sg = planned(tf, "module.generated.aws_security_group.lambda[0]")!;
    expect(sg.values.vpc_id).toBe("vpc-0011223344556677f");
    expect(readFileSync(join(project, "output", "vpc.tf"), "utf8")).not.toMatch(/ingress/);
    expect((sg.values.egress as Array<{ from_port: number }>).map((e) => e.from_port)).toEqual([443]);
    const policy = planned(tf, "module.generated.aws_iam_role_policy.vpc[0]")!;
    expect(String(policy.values.policy)).toContain("ec2:CreateNetworkInterface");
    expect(readFileSync(join(project, "output", "lambda.tf"), "utf8")).toMatch(/security_group_ids = \[aws_security_group\.lambda\[0\]\.id\]/);
  });

  it("without vpc_id the functions stay outside any VPC and no security group or policy is planned", () => {
    for (const fn of bare.resources.filter((r) => r.type === "aws_lambda_function")) expect(fn.values.vpc_config, fn.address).toEqual([]);
    expect(bare.resources.filter((r) => /aws_security_group|aws_iam_role_policy\.vpc|wafv2/.test(r.address))).toEqual([]);
  });

  it("associates the web ACL, caches the stage, and encrypts and lets go of every log group as asked", () => {
    expect(planned(tf, "module.generated.aws_wafv2_web_acl_association.stage[0]")?.values.web_acl_arn).toBe(WAF);
    expect(planned(tf, "module.generated.aws_api_gateway_stage.this")?.values).toMatchObject({ cache_cluster_enabled: true, cache_cluster_size: "0.5" });
    const settings = (planned(tf, "module.generated.aws_api_gateway_method_settings.all")!.values.settings as Array<Record<string, unknown>>)[0];
    expect(settings).toMatchObject({ caching_enabled: true, cache_data_encrypted: true });
    const groups = tf.resources.filter((r) => r.type === "aws_cloudwatch_log_group");
    expect(groups.map((g) => g.address)).toEqual(expect.arrayContaining(["module.generated.aws_cloudwatch_log_group.access", "module.generated.aws_cloudwatch_log_group.execution"]));
    for (const g of groups) expect(g.values, g.address).toMatchObject({ kms_key_id: KMS, skip_destroy: false });
    const stage = planned(bare, "module.generated.aws_api_gateway_stage.this")!.values;
    expect(stage).toMatchObject({ cache_cluster_enabled: false });
    for (const g of bare.resources.filter((r) => r.type === "aws_cloudwatch_log_group")) expect(g.values, g.address).toMatchObject({ skip_destroy: true });
  });

  it("refuses values AWS would refuse, each with the variable's own message", async () => {
    const bad = await checkTerraform(join(project, "output"), [
      '  waf_web_acl_arn         = "arn:aws:wafv2:eu-west-1:123456789012:global/webacl/edge/abc"',
      '  api_cache_cluster_size  = "2"',
      '  code_signing_config_arn = "csc-123"',
      '  vpc_id                  = "vpc-1"',
      '  subnets                 = ["sn-1"]',
      "  egress_ports            = [0]",
    ]);
    expect(bad.codes[3]).not.toBe(0);
    const plan = bad.plan.replace(/\s+/g, " ");
    for (const message of [
      "The waf_web_acl_arn must be null or a regional WAFv2 web ACL ARN",
      "The api_cache_cluster_size must be null or one API Gateway offers",
      "The code_signing_config_arn must be null or a code signing config ARN",
      "The vpc_id must be null or a VPC id",
      "Each of subnets must be a subnet id",
      "Each of egress_ports must be a whole TCP port number",
    ]) {
      expect(plan).toContain(message);
    }
  }, 300_000);
});
