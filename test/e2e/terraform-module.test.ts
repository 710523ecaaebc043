import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, FAKE_PROVIDER_LINES, planFolder, planRoot, planned, type PlannedResource, type RootPlan } from "../support/terraform.js";

const SECRET = "SUPERSECRET-value-1";
const PLACEHOLDER = "picofun:placeholder";

const spec = {
  openapi: "3.0.3",
  info: { title: "Secure API", version: "1" },
  servers: [{ url: "https://api.example.com" }],
  components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
  security: [{ bearerAuth: [] }],
  paths: {
    "/a": { get: { responses: { "200": { description: "ok" } } } },
    "/b/{id}": { get: { parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "ok" } } } },
  },
};

/** Terraform wraps its messages: compare them with single spaces. */
const flat = (text: string) => text.replace(/\s+/g, " ");

/** Every name a resource of this module gives AWS. */
function names(resources: PlannedResource[], module: string): string[] {
  const out: string[] = [];
  for (const r of resources.filter((r) => r.address.startsWith(`module.${module}.`) && !r.address.includes(".data."))) {
    for (const key of ["function_name", "name", "layer_name", "name_prefix"]) {
      const v = r.values[key];
      // Inline role policies are named within their role ("logs", "credentials").
      if (typeof v === "string" && r.type !== "aws_iam_role_policy") out.push(`${r.type}:${v}`);
    }
  }
  return out;
}

describeWithTools("generated Terraform module: names at plan time, no secrets, kept logs, validated inputs", ["terraform"], () => {
  let out: string;
  let two: RootPlan;

  beforeAll(async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "secure.json"), JSON.stringify(spec));
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "secure"', 'spec = "secure.json"'].join("\n"));
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    out = join(dir, "output");
    two = await planRoot(
      [
        'variable "credentials" {',
        "  type      = map(string)",
        "  sensitive = true",
        "  ephemeral = true",
        "}",
        'module "dev" {',
        `  source    = "${out}"`,
        '  namespace = "secure-dev"',
        '  tags      = { env = "dev" }',
        "}",
        'module "prod" {',
        `  source              = "${out}"`,
        '  namespace           = "secure-prod"',
        "  shared_log_group    = true",
        "  log_skip_destroy    = false",
        '  log_kms_key_id      = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
        "  credentials         = var.credentials",
        "  credentials_version = 2",
        "}",
        'output "dev_lambda_function_arns" {',
        "  value = module.dev.lambda_function_arns",
        "}",
        'output "dev_iam_role_arn" {',
        "  value = module.dev.iam_role_arn",
        "}",
        'output "prod_function_names" {',
        "  value = module.prod.function_names",
        "}",
      ].join("\n"),
      { TF_VAR_credentials: JSON.stringify({ http: JSON.stringify({ token: SECRET }) }) },
    );
    expect(two.code, two.plan).toBe(0);
  }, 300_000);

  it("two instances in one root plan disjoint names that fit 64 characters, with upstream output names", () => {
    const dev = names(two.resources, "dev");
    const prod = names(two.resources, "prod");
    expect(dev.length).toBeGreaterThanOrEqual(8);
    expect(dev.filter((n) => prod.includes(n))).toEqual([]);
    expect(dev).toContain("aws_lambda_function:secure-dev_get_a");
    expect(dev).toContain("aws_cloudwatch_log_group:/aws/lambda/secure-dev_get_b_id");
    expect(dev).toContain("aws_iam_role:pf-secure-dev");
    expect(dev).toContain("aws_lambda_layer_version:secure-dev-picorun");
    expect(dev).toContain("aws_ssm_parameter:/picorun/secure-dev/credentials-http");
    expect(dev).toContain("aws_kms_alias:alias/picorun-secure-dev-credentials");
    expect(prod).toContain("aws_lambda_function:secure-prod_get_b_id");
    for (const r of two.resources.filter((r) => r.type === "aws_lambda_function")) {
      expect(String(r.values.function_name).length).toBeLessThanOrEqual(64);
      const env = (r.values.environment as Array<{ variables: Record<string, string> }>)[0].variables;
      expect(env.PICORUN_CREDENTIALS_PREFIX).toBe(r.address.startsWith("module.dev.") ? "/picorun/secure-dev" : "/picorun/secure-prod");
    }
    const plan = JSON.parse(two.json) as { output_changes: Record<string, unknown>; planned_values: { outputs: Record<string, { value?: unknown }> } };
    expect(Object.keys(plan.output_changes).sort()).toEqual(["dev_iam_role_arn", "dev_lambda_function_arns", "prod_function_names"]);
    expect(plan.planned_values.outputs.prod_function_names.value).toEqual({ get_a: "secure-prod_get_a", get_b_id: "secure-prod_get_b_id" });
    // The logs policy follows the namespace too.
    expect(readFileSync(join(out, "iam.tf"), "utf8")).toContain("log-group:/aws/lambda/${local.function_name_prefix}*:*");
  });

  it("the plan JSON holds no credential value for any SSM parameter, even one given to the module", () => {
    expect(two.json.length).toBeGreaterThan(1000);
    expect(two.json).not.toContain(SECRET);
    expect(two.json).not.toContain(PLACEHOLDER);
    const params = two.resources.filter((r) => r.type === "aws_ssm_parameter");
    expect(params).toHaveLength(2);
    for (const p of params) {
      expect(p.values.type).toBe("SecureString");
      expect(p.values.value ?? null).toBeNull();
      expect(p.values.value_wo ?? null).toBeNull();
      expect(p.values.value_wo_version).toBe(p.address.startsWith("module.prod.") ? 2 : 1);
    }
    expect(readFileSync(join(out, "versions.tf"), "utf8")).toMatch(/required_version = ">= 1\.11\.0"/);
    expect(readFileSync(join(out, "versions.tf"), "utf8")).toContain('version = ">= 5.100, < 7.0"');
  });

  it("log groups skip_destroy by default; a shared encrypted group through logging_config when asked", () => {
    const devGroups = two.resources.filter((r) => r.address.startsWith("module.dev.aws_cloudwatch_log_group."));
    expect(devGroups).toHaveLength(2);
    for (const g of devGroups) expect(g.values).toMatchObject({ skip_destroy: true, retention_in_days: 14 });
    const prodGroups = two.resources.filter((r) => r.address.startsWith("module.prod.aws_cloudwatch_log_group."));
    expect(prodGroups.map((g) => [g.address, g.values.name, g.values.skip_destroy, g.values.kms_key_id])).toEqual([
      ["module.prod.aws_cloudwatch_log_group.shared[0]", "/aws/lambda/secure-prod", false, "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
    ]);
    for (const fn of two.resources.filter((r) => r.type === "aws_lambda_function")) {
      const shared = fn.address.startsWith("module.prod.");
      expect(fn.values.logging_config ?? []).toEqual(shared ? [{ application_log_level: null, log_format: "Text", log_group: "/aws/lambda/secure-prod", system_log_level: null }] : []);
    }
    const logsDoc = two.resources.find((r) => r.address === "module.prod.data.aws_iam_policy_document.logs")!;
    const resources = (logsDoc.values.statement as Array<{ resources: string[] }>)[0].resources;
    // One resource (it needs the account id, known after apply): the shared group's, from the module's text.
    expect(resources).toHaveLength(1);
    expect(readFileSync(join(out, "iam.tf"), "utf8")).toContain("log-group:${local.shared_log_group_name}:*");
  });

  it("tags are merged with generated_by; the credentials key has an explicit key policy", () => {
    const role = two.resources.find((r) => r.address === "module.dev.aws_iam_role.lambda")!;
    expect(role.values.tags).toEqual({ env: "dev", generated_by: "picofun" });
    const keyDoc = two.resources.find((r) => r.address === "module.dev.data.aws_iam_policy_document.credentials_key")!;
    const statements = keyDoc.values.statement as Array<{ sid: string; actions: string[]; condition?: Array<{ variable: string; values: string[] }> }>;
    expect(statements.map((s) => [s.sid, s.actions])).toEqual([
      ["AccountAdministersKeyThroughIam", ["kms:*"]],
      ["FunctionsDecryptThroughTheStore", ["kms:Decrypt"]],
    ]);
    expect(statements[1].condition).toEqual([{ test: "StringEquals", variable: "kms:ViaService", values: ["ssm.eu-west-1.amazonaws.com"] }]);
    expect(readFileSync(join(out, "auth.tf"), "utf8")).toContain("policy              = data.aws_iam_policy_document.credentials_key.json");
  });

  it("refuses each invalid variable with its own message", async () => {
    const bad = await planRoot(
      [
        'module "bad" {',
        `  source               = "${out}"`,
        '  namespace            = "a-namespace-much-too-long-for-the-names-of-this-module-to-fit"',
        "  timeout              = 901",
        "  memory_size          = 64",
        "  log_retention_days   = 13",
        '  architecture         = "sparc"',
        '  layers               = ["not-an-arn"]',
        "  reserved_concurrency = -2",
        '  log_kms_key_id       = "alias/logs"',
        '  tags                 = merge({ for i in range(49) : "k${i}" => "v" }, { "aws:x" = "y" })',
        "}",
        'module "crossed" {',
        `  source          = "${out}"`,
        '  iam_role_prefix = "a-prefix-that-leaves-no-room-for-the-namespace-in-64-characters-"',
        '  layers          = [for i in range(4) : "arn:aws:lambda:eu-west-1:123456789012:layer:l${i}:1"]',
        "}",
      ].join("\n"),
    );
    expect(bad.code).not.toBe(0);
    const text = flat(bad.plan);
    const messages = [
      "The namespace must start with a letter, hold only letters, digits, '-' or '_', and be at most 55 characters (function names are {namespace}_{suffix} within 64 characters; the longest suffix here is 8 characters).",
      "The timeout must be a whole number of seconds from 1 to 900.",
      "The memory_size must be a whole number of MB from 128 to 10240.",
      "The log_retention_days must be one CloudWatch Logs allows:",
      "The architecture must be arm64 or x86_64.",
      "Each of layers must be a Lambda layer version ARN",
      "The reserved_concurrency must be null or a whole number of 0 or more",
      "The log_kms_key_id must be null or a KMS key ARN",
      "AWS allows 50 tags a resource: the tags and generated_by = picofun must add up to 50 or fewer.",
      'Each tag key must be 1 to 128 characters and not start with "aws:"',
    ];
    for (const m of messages) expect(text, m).toContain(m);
    expect(text.match(/Invalid value for variable/g)).toHaveLength(messages.length);

    // Checks that read two variables run once the single-variable ones pass.
    const crossed = await planRoot(
      [
        'module "crossed" {',
        `  source          = "${out}"`,
        '  iam_role_prefix = "a-prefix-that-leaves-no-room-for-the-namespace-in-64-characters-"',
        '  layers          = [for i in range(4) : "arn:aws:lambda:eu-west-1:123456789012:layer:l${i}:1"]',
        "}",
      ].join("\n"),
    );
    expect(crossed.code).not.toBe(0);
    const crossedText = flat(crossed.plan);
    expect(crossedText).toContain("The iam_role_prefix must hold only letters, digits and +=,.@_- and, with the namespace, fit the 64 characters of an IAM role name.");
    expect(crossedText).toContain("A function takes at most 5 layers: the layers given, the picofun runtime layer and the Powertools layer (include_powertools_layer) must add up to 5 or fewer.");
    expect(crossedText.match(/Invalid value for variable/g)).toHaveLength(2);
  }, 300_000);

  it("init writes a root module that plans from the project folder as written; state stays out of the generated folder", async () => {
    const cwd = tempProject();
    writeFileSync(join(cwd, "secure.json"), JSON.stringify(spec));
    const res = await runCli(["init", "proj", "--yes", "--spec", "secure.json", "--namespace", "secure"], { cwd });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("Wrote main.tf");
    expect(res.stdout).toMatch(/^ {2}terraform init +#/m);
    expect(res.stdout).not.toContain("-chdir");
    const project = join(cwd, "proj");
    const main = readFileSync(join(project, "main.tf"), "utf8");
    expect(main).toContain('  # backend "s3" {');
    // The write-only credentials are passed on, so the documented TF_VAR_credentials path works from here.
    expect(main).toContain('module "secure" {\n  source              = "./output"\n  credentials         = var.credentials\n  credentials_version = var.credentials_version\n}');
    expect(main).toMatch(/variable "credentials" \{\n(?:  .*\n)*  ephemeral   = true\n\}/);
    expect(main).toContain("  region = var.region");
    expect(main).toContain("value = module.secure.credentials_kms_key_arn");
    // Only the provider's credentials are supplied, through an override file (offline plan).
    writeFileSync(join(project, "provider_override.tf"), [...FAKE_PROVIDER_LINES.filter((l) => !l.includes("region ")), "}", ""].join("\n"));
    const secret = "s3cr3t-from-the-environment";
    const credentials = Object.fromEntries(["http", "apiKey", "bearer", "basic"].map((t) => [t, JSON.stringify({ token: secret })]));
    const plan = await planFolder(project, { TF_VAR_region: "eu-west-1", TF_VAR_credentials: JSON.stringify(credentials) });
    expect(plan.code, plan.plan).toBe(0);
    expect(plan.json).not.toContain(secret);
    expect(plan.resources.some((r) => r.address === 'module.secure.aws_lambda_function.this["secure_get_a"]')).toBe(true);
    expect(existsSync(join(project, ".terraform"))).toBe(true);
    expect(existsSync(join(project, "output", ".terraform"))).toBe(false);
    const fmt = await checkFmt(project);
    expect(fmt.code, fmt.out).toBe(0);

    // A main.tf of the user's own is never overwritten.
    writeFileSync(join(project, "main.tf"), "# mine\n");
    const again = await runCli(["init", "proj", "--yes", "--force", "--spec", "secure.json", "--namespace", "secure"], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Kept your main.tf");
    expect(readFileSync(join(project, "main.tf"), "utf8")).toBe("# mine\n");
  }, 300_000);
});

async function checkFmt(dir: string): Promise<{ code: number; out: string }> {
  const { terraform } = await import("../support/terraform.js");
  const r = await terraform(["fmt", "-check", "-diff", "main.tf"], dir);
  return { code: r.code ?? -1, out: r.out };
}

describeWithTools("generated Terraform module, api kind: least privilege and validation", ["terraform"], () => {
  let out: string;

  beforeAll(async () => {
    const dir = tempProject();
    const petstore = readFileSync(join(REPO, "test", "fixtures", "api", "petstore.yaml"), "utf8").replace(/^paths:/m, "servers:\n  - url: https://api.example.com/v1\npaths:");
    writeFileSync(join(dir, "petstore.yaml"), petstore);
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "pets"', 'spec = "petstore.yaml"', 'kind = "api"', "[api]", 'base_path = "prepend"', 'stage = "prod"'].join("\n"));
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    out = join(dir, "output");
  }, 120_000);

  it("the role logs only to its own groups (no AWSLambdaBasicExecutionRole); each permission names its method and path", async () => {
    // A copy with one more output shows the permission paths, which are known at plan time.
    const copy = mkdtempSync(join(tmpdir(), "picofun-api-"));
    cpSync(out, copy, { recursive: true });
    writeFileSync(join(copy, "test_outputs.tf"), 'output "permission_paths" {\n  value = local.permission_paths\n}\n');
    const tf = await checkTerraform(copy, ['  namespace = "pets-dev"']);
    expect(tf.codes, tf.plan).toEqual([0, 0, 0, 0]);
    // The functions' role: X-Ray only. (API Gateway's own account-level logging role is separate.)
    const attachments = tf.resources.filter((r) => r.type === "aws_iam_role_policy_attachment");
    expect(attachments.filter((r) => !r.address.includes("api_gateway_logs")).map((r) => r.values.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]);
    expect(attachments.filter((r) => r.address.includes("api_gateway_logs")).map((r) => r.values.policy_arn)).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]);
    expect(planned(tf, "module.generated.aws_iam_role_policy.logs[0]")?.values.name).toBe("logs");
    const logsDoc = planned(tf, "module.generated.data.aws_iam_policy_document.logs")!;
    const statements = logsDoc.values.statement as Array<{ actions: string[]; resources: string[] }>;
    expect(statements).toHaveLength(1);
    expect([...statements[0].actions].sort()).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    // The resource needs the account id (known after apply): read from the module's text.
    expect(readFileSync(join(out, "iam.tf"), "utf8")).toContain(":log-group:/aws/lambda/${local.function_name_prefix}*:*");
    expect(readFileSync(join(out, "iam.tf"), "utf8")).not.toContain("policy/service-role/AWSLambdaBasicExecutionRole");
    expect(tf.outputs.permission_paths).toEqual({
      pets_deletePetsByPetId: "/prod/DELETE/v1/pets/*",
      pets_listPets: "/prod/GET/v1/pets",
      pets_postPets: "/prod/POST/v1/pets",
      pets_showPetById: "/prod/GET/v1/pets/*",
    });
    expect(readFileSync(join(out, "main.tf"), "utf8")).toContain('source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}${local.permission_paths[each.key]}"');
    expect(readFileSync(join(out, "main.tf"), "utf8")).not.toContain("/*/*");
    const fn = planned(tf, 'module.generated.aws_lambda_function.this["pets_listPets"]')!;
    expect(fn.values.function_name).toBe("pets-dev_listPets");
    expect(planned(tf, 'module.generated.aws_cloudwatch_log_group.this["pets_listPets"]')!.values).toMatchObject({ name: "/aws/lambda/pets-dev_listPets", skip_destroy: true });
    expect(planned(tf, "module.generated.aws_iam_role.lambda[0]")!.values.tags).toEqual({ generated_by: "picofun" });
  }, 300_000);

  it("refuses a timeout over API Gateway's 29 seconds, an access log retention CloudWatch does not allow and tags over AWS's limits", async () => {
    const tf = await checkTerraform(out, ["  timeout = 30", "  access_log_retention_days = 2", '  tags = { "aws:team" = "x" }']);
    expect(tf.codes[3]).not.toBe(0);
    const text = flat(tf.plan);
    expect(text).toContain("The timeout must be a whole number of seconds from 1 to 29 (API Gateway waits at most 29 seconds for a function).");
    expect(text).toContain("The access_log_retention_days must be one CloudWatch Logs allows:");
    expect(text).toContain('Each tag key must be 1 to 128 characters and not start with "aws:"');
  }, 300_000);
});
