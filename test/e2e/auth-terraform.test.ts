import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, planned } from "../support/terraform.js";
import { refreshSpec } from "../fixtures/refreshSpec.js";

const spec = {
  openapi: "3.0.3",
  info: { title: "Secure API", version: "1" },
  servers: [{ url: "https://api.example.com" }],
  components: {
    securitySchemes: {
      bearerAuth: { type: "http", scheme: "bearer" },
      headerKey: { type: "apiKey", in: "header", name: "X-API-Key" },
    },
  },
  security: [{ bearerAuth: [] }],
  paths: {
    "/a": { get: { responses: { "200": { description: "ok" } } } },
    "/b": { get: { security: [{ headerKey: [] }], responses: { "200": { description: "ok" } } } },
    "/c": { get: { security: [], responses: { "200": { description: "ok" } } } },
  },
};

describeWithTools("generated Terraform module with automatic authentication", ["terraform"], () => {
  let out: string;

  beforeAll(async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "secure.json"), JSON.stringify(spec));
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "secure"', 'spec = "secure.json"', "[auth]", "ttl_minutes = 7"].join("\n"));
    const res = await runCli([], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    out = join(dir, "output");
  });

  it("creates a rotating KMS key with an alias, the SecureString parameters, the scoped policy and the TTL", async () => {
    const tf = await checkTerraform(out);
    expect(tf.codes[0], tf.init).toBe(0);
    expect(tf.codes[1], tf.validate).toBe(0);
    expect(tf.codes[2], tf.fmt).toBe(0);
    expect(tf.codes[3], tf.plan).toBe(0);
    const key = planned(tf, "module.generated.aws_kms_key.credentials[0]");
    expect(key?.values.enable_key_rotation).toBe(true);
    expect(planned(tf, "module.generated.aws_kms_alias.credentials[0]")?.values.name).toBe("alias/picorun-secure-credentials");
    const names = tf.resources.filter((r) => r.type === "aws_ssm_parameter").map((r) => r.values.name).sort();
    expect(names).toEqual(["/picorun/secure/credentials-api-key", "/picorun/secure/credentials-http"]);
    for (const type of ["http", "api-key"]) {
      const p = planned(tf, `module.generated.aws_ssm_parameter.credentials["${type}"]`)!;
      expect(p.values.type).toBe("SecureString");
    }
    expect(planned(tf, "module.generated.aws_iam_role_policy.credentials")?.values.name).toBe("credentials");
    for (const fn of ["secure_get_a", "secure_get_b", "secure_get_c"]) {
      const f = planned(tf, `module.generated.aws_lambda_function.this["${fn}"]`)!;
      const vars = (f.values.environment as Array<{ variables: Record<string, string> }>)[0].variables;
      expect(vars.PICORUN_CREDENTIALS_TTL).toBe("420");
      expect(vars.PICORUN_CREDENTIALS_PREFIX).toBe("/picorun/secure");
    }
  }, 240_000);

  it("uses a given kms_key_arn instead of creating a key, and takes auth_credentials_ttl", async () => {
    const arn = "arn:aws:kms:eu-west-1:123456789012:key/12345678-1234-1234-1234-123456789012";
    const tf = await checkTerraform(out, [`  kms_key_arn = "${arn}"`, "  auth_credentials_ttl = 600"]);
    expect(tf.codes[3], tf.plan).toBe(0);
    expect(tf.resources.filter((r) => r.type === "aws_kms_key" || r.type === "aws_kms_alias")).toEqual([]);
    const p = planned(tf, 'module.generated.aws_ssm_parameter.credentials["http"]')!;
    expect(p.values.key_id).toBe(arn);
    expect(tf.outputs.credentials_kms_key_arn).toBe(arn);
    const f = planned(tf, 'module.generated.aws_lambda_function.this["secure_get_a"]')!;
    expect((f.values.environment as Array<{ variables: Record<string, string> }>)[0].variables.PICORUN_CREDENTIALS_TTL).toBe("600");
  }, 240_000);

  it("grants ssm:GetParameter on exactly the generated parameters and kms:Decrypt on that key only", async () => {
    // The account id comes from the role's ARN, known only after apply: a copy of the module
    // with an override file pins it, so the planned policy document is complete.
    const copy = mkdtempSync(join(tmpdir(), "picofun-tf-module-"));
    cpSync(out, copy, { recursive: true });
    writeFileSync(join(copy, "account_override.tf"), 'locals {\n  account_id = "123456789012"\n}\n');
    const arn = "arn:aws:kms:eu-west-1:123456789012:key/12345678-1234-1234-1234-123456789012";
    const tf = await checkTerraform(copy, [`  kms_key_arn = "${arn}"`]);
    expect(tf.codes[3], tf.plan).toBe(0);
    const policy = JSON.parse(String(planned(tf, "module.generated.aws_iam_role_policy.credentials")!.values.policy)) as {
      Statement: Array<{ Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }>;
    };
    const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]).sort();
    const read = policy.Statement.find((st) => st.Sid === "ReadCredentials")!;
    expect(list(read.Action)).toEqual(["ssm:GetParameter"]);
    expect(list(read.Resource)).toEqual([
      "arn:aws:ssm:eu-west-1:123456789012:parameter/picorun/secure/credentials-api-key",
      "arn:aws:ssm:eu-west-1:123456789012:parameter/picorun/secure/credentials-http",
    ]);
    const decrypt = policy.Statement.find((st) => st.Sid === "DecryptCredentials")!;
    expect(list(decrypt.Action)).toEqual(["kms:Decrypt"]);
    expect(list(decrypt.Resource)).toEqual([arn]);
    expect(decrypt.Condition).toEqual({ StringEquals: { "kms:ViaService": "ssm.eu-west-1.amazonaws.com" } });
    expect(policy.Statement.length).toBe(2);
  }, 240_000);

  it("refuses a negative auth_credentials_ttl", async () => {
    const tf = await checkTerraform(out, ["  auth_credentials_ttl = -1"]);
    expect(tf.codes[3]).not.toBe(0);
    expect(tf.plan).toMatch(/auth_credentials_ttl must be 0 or more/);
  }, 240_000);
});

function refreshProject(toml: string[]): string {
  const dir = tempProject();
  writeFileSync(join(dir, "refresh.json"), JSON.stringify(refreshSpec));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "rf"', 'spec = "refresh.json"', "[auth]", ...toml].join("\n"));
  return dir;
}

describeWithTools("Terraform for refresh tokens, parameter_prefix and Secrets Manager", ["terraform"], () => {
  it("ssm:PutParameter and kms:Encrypt only on the oauth2 parameter a rotated refresh token is written to", async () => {
    const dir = refreshProject(['parameter_prefix = "/team/apis"']);
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const copy = mkdtempSync(join(tmpdir(), "picofun-tf-module-"));
    cpSync(join(dir, "output"), copy, { recursive: true });
    writeFileSync(join(copy, "account_override.tf"), 'locals {\n  account_id = "123456789012"\n}\n');
    const arn = "arn:aws:kms:eu-west-1:123456789012:key/12345678-1234-1234-1234-123456789012";
    const tf = await checkTerraform(copy, [`  kms_key_arn = "${arn}"`]);
    expect(tf.codes.slice(0, 4), tf.plan).toEqual([0, 0, 0, 0]);
    const names = tf.resources.filter((r) => r.type === "aws_ssm_parameter").map((r) => r.values.name).sort();
    expect(names).toEqual(["/team/apis/rf/credentials-api-key", "/team/apis/rf/credentials-oauth2"]);
    const policy = JSON.parse(String(planned(tf, "module.generated.aws_iam_role_policy.credentials")!.values.policy)) as {
      Statement: Array<{ Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }>;
    };
    const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]).sort();
    const bySid = (sid: string) => policy.Statement.find((st) => st.Sid === sid)!;
    expect(list(bySid("ReadCredentials").Resource)).toEqual([
      "arn:aws:ssm:eu-west-1:123456789012:parameter/team/apis/rf/credentials-api-key",
      "arn:aws:ssm:eu-west-1:123456789012:parameter/team/apis/rf/credentials-oauth2",
    ]);
    expect(list(bySid("WriteRotatedRefreshToken").Action)).toEqual(["ssm:PutParameter"]);
    expect(list(bySid("WriteRotatedRefreshToken").Resource)).toEqual(["arn:aws:ssm:eu-west-1:123456789012:parameter/team/apis/rf/credentials-oauth2"]);
    expect(list(bySid("EncryptRotatedRefreshToken").Action)).toEqual(["kms:Encrypt"]);
    expect(list(bySid("EncryptRotatedRefreshToken").Resource)).toEqual([arn]);
    expect(bySid("EncryptRotatedRefreshToken").Condition).toEqual({ StringEquals: { "kms:ViaService": "ssm.eu-west-1.amazonaws.com" } });
    expect(policy.Statement.map((s) => s.Sid).sort()).toEqual(["DecryptCredentials", "EncryptRotatedRefreshToken", "ReadCredentials", "WriteRotatedRefreshToken"]);
    const f = planned(tf, 'module.generated.aws_lambda_function.this["rf_get_b"]')!;
    const vars = (f.values.environment as Array<{ variables: Record<string, string> }>)[0].variables;
    expect(vars.PICORUN_CREDENTIALS_PREFIX).toBe("/team/apis/rf");
    expect(vars.PICORUN_CREDENTIALS_KEY_ID).toBe(arn);
  }, 240_000);

  it("without a refresh-token scheme there is no write statement", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "secure.json"), JSON.stringify(spec));
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "secure"', 'spec = "secure.json"'].join("\n"));
    expect((await runCli([], { cwd: dir })).code).toBe(0);
    const text = readFileSync(join(dir, "output", "auth.tf"), "utf8");
    expect(text).not.toMatch(/PutParameter|kms:Encrypt|WriteRotated/);
  });

  it('store = "secretsmanager": secrets with the module key, GetSecretValue/PutSecretValue on those secrets\' own ARNs, no SSM', async () => {
    const dir = refreshProject(['store = "secretsmanager"']);
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const out = join(dir, "output");
    const tf = await checkTerraform(out);
    expect(tf.codes.slice(0, 4), tf.plan).toEqual([0, 0, 0, 0]);
    expect(tf.resources.filter((r) => r.type === "aws_ssm_parameter")).toEqual([]);
    const secrets = tf.resources.filter((r) => r.type === "aws_secretsmanager_secret");
    expect(secrets.map((r) => r.values.name).sort()).toEqual(["/picorun/rf/credentials-api-key", "/picorun/rf/credentials-oauth2"]);
    // No secret value in Terraform at all: the user puts it with put-secret-value.
    expect(tf.resources.filter((r) => r.type === "aws_secretsmanager_secret_version")).toEqual([]);
    const text = readFileSync(join(out, "auth.tf"), "utf8");
    expect(text).toContain('actions   = ["secretsmanager:GetSecretValue"]');
    expect(text).toContain("resources = [for type in sort(tolist(local.credential_types)) : aws_secretsmanager_secret.credentials[type].arn]");
    expect(text).toContain('actions   = ["secretsmanager:PutSecretValue"]');
    expect(text).toContain("resources = [for type in sort(tolist(local.writeback_types)) : aws_secretsmanager_secret.credentials[type].arn]");
    expect(text).not.toMatch(/ssm:/);
  }, 240_000);
});
