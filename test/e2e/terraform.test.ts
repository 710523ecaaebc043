import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, planned } from "../support/terraform.js";

describeWithTools("generated Terraform module", ["terraform"], () => {
  let dir: string;

  beforeAll(async () => {
    dir = tempProject();
    writeFileSync(
      join(dir, "picofun.toml"),
      [
        'namespace = "orders"',
        `spec = "${ORDERS_SPEC}"`,
        'layers = ["arn:aws:lambda:eu-west-1:123456789012:layer:shared:3"]',
        'vpc_id = "vpc-0011223344556677f"',
        'subnets = ["subnet-1234567890abcdef0", "subnet-234567890abcdef01"]',
        'role_permissions_boundary = "arn:aws:iam::123456789012:policy/boundary"',
        "[server]",
        'variables = { region = "us" }',
        "[tags]",
        'team = "payments"',
        'note = "costs ${var.x} %{ if true }"',
      ].join("\n"),
    );
    const res = await runCli([], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
  });

  it("inits, validates, is fmt-clean and plans offline with VPC, layers and a boundary", async () => {
    const tf = await checkTerraform(join(dir, "output"));
    expect(tf.codes[0], tf.init).toBe(0);
    expect(tf.codes[1], tf.validate).toBe(0);
    expect(tf.codes[2], tf.fmt).toBe(0);
    expect(tf.codes[3], tf.plan).toBe(0);
    expect(tf.plan).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    for (const fn of ["orders_get_orders", "orders_post_orders", "orders_put_orders_orderId_line_items_item_id"]) {
      const r = planned(tf, `module.generated.aws_lambda_function.this["${fn}"]`);
      expect(r, fn).toBeDefined();
      expect(r!.values.runtime).toBe("python3.13");
      expect(r!.values.architectures).toEqual(["arm64"]);
      expect(r!.values.tracing_config).toEqual([{ mode: "Active" }]);
      expect((r!.values.vpc_config as unknown[]).length).toBe(1);
    }
    const fn = planned(tf, 'module.generated.aws_lambda_function.this["orders_get_orders"]')!;
    expect(fn.values.handler).toBe("get_orders.handler");
    const role = planned(tf, "module.generated.aws_iam_role.lambda")!;
    expect(role.values.name).toBe("pf-orders");
    expect(role.values.permissions_boundary).toBe("arn:aws:iam::123456789012:policy/boundary");
    expect(role.values.tags).toEqual({ generated_by: "picofun", team: "payments", note: "costs ${var.x} %{ if true }" });
    expect(planned(tf, "module.generated.aws_security_group.lambda[0]")).toBeDefined();
    expect(planned(tf, "module.generated.aws_iam_role_policy.vpc[0]")).toBeDefined();
    expect(planned(tf, "module.generated.aws_iam_role_policy_attachment.xray[0]")).toBeDefined();
    expect(planned(tf, 'module.generated.aws_cloudwatch_log_group.this["orders_get_orders"]')!.values.retention_in_days).toBe(14);
    expect(tf.outputs.powertools_layer_arn).toBe("arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:27");
    // The config's layers become the module's default (the plan only knows the list after apply).
    expect(readFileSync(join(dir, "output", "variables.tf"), "utf8")).toContain('default     = ["arn:aws:lambda:eu-west-1:123456789012:layer:shared:3"]');
  }, 240_000);

  it("turns options off from the root module: no X-Ray, no VPC, no Powertools when listed", async () => {
    const tf = await checkTerraform(join(dir, "output"), [
      "  xray_tracing = false",
      "  vpc_id       = null",
      '  layers       = ["arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:20"]',
    ]);
    expect(tf.codes[3], tf.plan).toBe(0);
    expect(planned(tf, "module.generated.aws_iam_role_policy_attachment.xray[0]")).toBeUndefined();
    expect(planned(tf, "module.generated.aws_security_group.lambda[0]")).toBeUndefined();
    expect(tf.outputs.powertools_layer_arn ?? null).toBeNull();
    const fn = planned(tf, 'module.generated.aws_lambda_function.this["orders_get_orders"]')!;
    expect(fn.values.tracing_config).toEqual([{ mode: "PassThrough" }]);
    expect(fn.values.vpc_config).toEqual([]);
  }, 240_000);
});
