import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { FAKE_PROVIDER_LINES, planFolder, type RootPlan } from "../support/terraform.js";

const SECRET = "SUPERSECRET-upgrade-1";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY = "arn:aws:kms:eu-west-1:123456789012:key/9999abcd-12ab-34cd-56ef-1234567890ab";
const NAME = "/picorun/secure/credentials-http";
const ADDRESS = 'module.secure.aws_ssm_parameter.credentials["http"]';

const spec = {
  openapi: "3.0.3",
  info: { title: "Secure API", version: "1" },
  servers: [{ url: "https://api.example.com" }],
  components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
  security: [{ bearerAuth: [] }],
  paths: { "/a": { get: { responses: { "200": { description: "ok" } } } } },
};

/** The parameter as a state file holds it: `old` is what picofun wrote before write-only arguments (value = placeholder, ignore_changes = [value]). */
function stateFile(old: boolean): string {
  const attributes: Record<string, unknown> = {
    allowed_pattern: "",
    arn: `arn:aws:ssm:eu-west-1:123456789012:parameter${NAME}`,
    data_type: "text",
    description: "Credentials of the secure API (JSON); set the value with aws ssm put-parameter.",
    id: NAME,
    insecure_value: null,
    key_id: KEY,
    name: NAME,
    overwrite: null,
    tags: { generated_by: "picofun" },
    tags_all: { generated_by: "picofun" },
    tier: "Standard",
    type: "SecureString",
    version: 2,
    ...(old ? { value: "picofun:placeholder" } : { value: null, has_value_wo: true, value_wo: null, value_wo_version: 1 }),
  };
  return JSON.stringify({
    version: 4,
    terraform_version: "1.11.4",
    serial: 3,
    lineage: "6b1f2b39-0c1d-4c6e-9d7e-3a0c9a3f6e11",
    outputs: {},
    resources: [
      {
        module: "module.secure",
        mode: "managed",
        type: "aws_ssm_parameter",
        name: "credentials",
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ index_key: "http", schema_version: 0, attributes, sensitive_attributes: [[{ type: "get_attr", value: "value" }]] }],
      },
    ],
  });
}

/** A root module over the generated module with the parameter already in its state, planned with -refresh=false. */
async function planOver(out: string, old: boolean, inputs: string[], env: Record<string, string> = {}): Promise<RootPlan> {
  const dir = mkdtempSync(join(tmpdir(), "picofun-tf-upgrade-"));
  writeFileSync(
    join(dir, "main.tf"),
    [
      ...FAKE_PROVIDER_LINES,
      "}",
      "",
      'variable "credentials" {',
      "  type      = map(string)",
      "  default   = {}",
      "  sensitive = true",
      "  ephemeral = true",
      "}",
      "",
      'module "secure" {',
      `  source      = "${out}"`,
      "  credentials = var.credentials",
      ...inputs,
      "}",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "terraform.tfstate"), stateFile(old));
  return planFolder(dir, env);
}

interface Change {
  address: string;
  change: { actions: string[]; before: Record<string, unknown>; after: Record<string, unknown> };
}

function parameterChange(plan: RootPlan): Change {
  const changes = (JSON.parse(plan.json) as { resource_changes: Change[] }).resource_changes;
  return changes.find((c) => c.address === ADDRESS)!;
}

describeWithTools("credentials parameter: write-only value over an existing state", ["terraform"], () => {
  let out: string;

  beforeAll(async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "secure.json"), JSON.stringify(spec));
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "secure"', 'spec = "secure.json"'].join("\n"));
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    out = join(dir, "output");
  }, 120_000);

  it("a parameter an older picofun created (value = placeholder) plans value_wo_version null -> 1: that apply writes value_wo over the stored secret", async () => {
    const plan = await planOver(out, true, [`  kms_key_arn = "${KEY}"`], { TF_VAR_credentials: JSON.stringify({ http: JSON.stringify({ token: SECRET }) }) });
    expect(plan.code, plan.plan).toBe(0);
    const c = parameterChange(plan);
    expect(c.change.actions, "an in-place update, not a new parameter").toEqual(["update"]);
    expect(c.change.before.value_wo_version ?? null).toBeNull();
    expect(c.change.after.value_wo_version).toBe(1);
    expect(plan.plan).toMatch(/\+ value_wo_version += 1/);
    // What the first apply writes comes from var.credentials (or the placeholder) and is in neither the plan nor its JSON.
    expect(plan.json).not.toContain(SECRET);
    expect(c.change.after.value_wo ?? null).toBeNull();
  }, 300_000);

  it("after that, a change other than tags (here the key) plans no value_wo_version change unless credentials_version is bumped", async () => {
    const keyOnly = await planOver(out, false, [`  kms_key_arn = "${OTHER_KEY}"`]);
    expect(keyOnly.code, keyOnly.plan).toBe(0);
    const c = parameterChange(keyOnly);
    expect(c.change.actions).toEqual(["update"]);
    expect([c.change.before.key_id, c.change.after.key_id]).toEqual([KEY, OTHER_KEY]);
    // value_wo is not sent: the provider puts the parameter again with the value the state holds (none).
    expect([c.change.before.value_wo_version, c.change.after.value_wo_version]).toEqual([1, 1]);

    const bumped = await planOver(out, false, [`  kms_key_arn = "${OTHER_KEY}"`, "  credentials_version = 2"], {
      TF_VAR_credentials: JSON.stringify({ http: JSON.stringify({ token: SECRET }) }),
    });
    expect(bumped.code, bumped.plan).toBe(0);
    const b = parameterChange(bumped);
    expect([b.change.before.value_wo_version, b.change.after.value_wo_version]).toEqual([1, 2]);
    expect(bumped.json).not.toContain(SECRET);
  }, 300_000);
});
