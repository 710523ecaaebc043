import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CACHE } from "./env.js";

const MIRROR = process.env.PICOFUN_TF_PLUGINS ?? "/opt/tf-plugins";

/** A Terraform CLI config that installs hashicorp/aws from the local mirror only. */
export function terraformEnv(): Record<string, string> {
  const file = join(CACHE, "terraformrc");
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(
    file,
    `provider_installation {\n  filesystem_mirror {\n    path    = "${MIRROR}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return { TF_CLI_CONFIG_FILE: file, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_INPUT: "0" };
}

export function terraform(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], { cwd, env: { ...process.env, ...terraformEnv() } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

/**
 * A root module that calls the generated module with fake credentials, so init, validate
 * and plan run offline. `inputs` are HCL lines added to the module block.
 */
/** Names of the outputs a module declares (and whether they are sensitive), so a root module can show them. */
function moduleOutputs(moduleDir: string): Array<{ name: string; sensitive: boolean }> {
  const out: Array<{ name: string; sensitive: boolean }> = [];
  for (const file of readdirSync(moduleDir).filter((f) => f.endsWith(".tf"))) {
    for (const m of readFileSync(join(moduleDir, file), "utf8").matchAll(/^output "([^"]+)" \{\n((?:.*\n)*?)\}/gm)) {
      out.push({ name: m[1], sensitive: /^\s*sensitive\s*=\s*true/m.test(m[2]) });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** A provider block with fake credentials: enough for init, validate and plan -refresh=false offline. */
export const FAKE_PROVIDER_LINES = [
  'provider "aws" {',
  '  region                      = "eu-west-1"',
  '  access_key                  = "AKIAIOSFODNN7EXAMPLE"',
  '  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
  "  skip_credentials_validation = true",
  "  skip_requesting_account_id  = true",
  "  skip_metadata_api_check     = true",
  "  skip_region_validation      = true",
];

export function rootModule(moduleDir: string, inputs: string[] = [], providerExtra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), "picofun-tf-"));
  writeFileSync(
    join(dir, "main.tf"),
    [
      ...FAKE_PROVIDER_LINES,
      ...providerExtra,
      "}",
      "",
      'module "generated" {',
      `  source = "${moduleDir}"`,
      ...inputs,
      "}",
      "",
      ...moduleOutputs(moduleDir).flatMap(({ name, sensitive }) => [`output "${name}" {`, `  value = module.generated.${name}`, ...(sensitive ? ["  sensitive = true"] : []), "}", ""]),
    ].join("\n"),
  );
  return dir;
}

/** init + validate + plan -refresh=false from a root module; fmt -check on the module itself. */
export interface PlannedResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
}

export interface TerraformCheck {
  init: string;
  validate: string;
  fmt: string;
  plan: string;
  codes: number[];
  /** Resources the plan creates, from `terraform show -json`. */
  resources: PlannedResource[];
  /** The module's outputs known at plan time. */
  outputs: Record<string, unknown>;
  /** Every output of the plan (`output_changes`), known or not, with which parts are unknown. */
  outputChanges: Record<string, { after?: unknown; after_unknown?: unknown }>;
}

export async function checkTerraform(moduleDir: string, inputs: string[] = [], providerExtra: string[] = []): Promise<TerraformCheck> {
  const root = rootModule(moduleDir, inputs, providerExtra);
  const init = await terraform(["init", "-input=false", "-backend=false"], root);
  const validate = await terraform(["validate"], root);
  const fmt = await terraform(["fmt", "-check", "-recursive", "-diff"], moduleDir);
  const plan = await terraform(["plan", "-refresh=false", "-input=false", "-lock=false", "-out=tfplan"], root);
  let resources: PlannedResource[] = [];
  let outputs: Record<string, unknown> = {};
  let outputChanges: TerraformCheck["outputChanges"] = {};
  if (plan.code === 0) {
    const show = await terraform(["show", "-json", "tfplan"], root);
    const json = JSON.parse(show.out) as {
      resource_changes?: Array<{ address: string; type: string; change: { after: Record<string, unknown> } }>;
      planned_values?: { outputs?: Record<string, { value?: unknown }> };
      output_changes?: TerraformCheck["outputChanges"];
    };
    outputChanges = json.output_changes ?? {};
    resources = (json.resource_changes ?? []).map((r) => ({ address: r.address, type: r.type, values: r.change.after ?? {} }));
    for (const [name, o] of Object.entries(json.planned_values?.outputs ?? {})) {
      if ("value" in o) outputs[name] = o.value;
    }
  }
  return {
    init: init.out,
    validate: validate.out,
    fmt: fmt.out,
    plan: plan.out,
    codes: [init.code ?? -1, validate.code ?? -1, fmt.code ?? -1, plan.code ?? -1],
    resources,
    outputs,
    outputChanges,
  };
}

export function planned(check: TerraformCheck, address: string): PlannedResource | undefined {
  return check.resources.find((r) => r.address === address);
}

export interface RootPlan {
  init: string;
  plan: string;
  code: number;
  /** The text of `terraform show -json` of the saved plan ("" when the plan failed). */
  json: string;
  resources: PlannedResource[];
}

/**
 * init + plan -refresh=false of a root module written by the test (`body` is everything after the
 * provider block with fake credentials), then `terraform show -json` of the plan.
 */
export async function planRoot(body: string, env: Record<string, string> = {}): Promise<RootPlan> {
  const dir = mkdtempSync(join(tmpdir(), "picofun-tf-root-"));
  writeFileSync(join(dir, "main.tf"), [...FAKE_PROVIDER_LINES, "}", "", body].join("\n"));
  return planFolder(dir, env);
}

/** init + plan -refresh=false + show -json in a folder that already holds a root module. */
export async function planFolder(dir: string, env: Record<string, string> = {}): Promise<RootPlan> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const init = await terraform(["init", "-input=false", "-backend=false"], dir);
    const plan = await terraform(["plan", "-refresh=false", "-input=false", "-lock=false", "-out=tfplan"], dir);
    let json = "";
    let resources: PlannedResource[] = [];
    if (plan.code === 0) {
      json = (await terraform(["show", "-json", "tfplan"], dir)).out;
      const parsed = JSON.parse(json) as { resource_changes?: Array<{ address: string; type: string; change: { after: Record<string, unknown> } }> };
      resources = (parsed.resource_changes ?? []).map((r) => ({ address: r.address, type: r.type, values: r.change.after ?? {} }));
    }
    return { init: init.out, plan: plan.out, code: plan.code ?? -1, json, resources };
  } finally {
    for (const k of Object.keys(env)) {
      if (k in saved) process.env[k] = saved[k];
      else delete process.env[k];
    }
  }
}
