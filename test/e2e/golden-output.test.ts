import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { treeHashes } from "../support/tree.js";

/**
 * Golden output: the sha256 of every file picofun writes, for a matrix of kinds, IaC targets and
 * features, recorded in test/golden/output-hashes.json. A refactoring must leave every hash as it
 * is; a change of output is made on purpose by running this file with PICOFUN_UPDATE_GOLDEN=1 and
 * naming each changed case and its reason in the commit that changes it.
 */

const GOLDEN = join(REPO, "test", "golden", "output-hashes.json");
const UPDATE = process.env.PICOFUN_UPDATE_GOLDEN === "1";
const ORDERS = join(REPO, "examples", "orders", "openapi.yaml");
const SECURED = join(REPO, "test", "fixtures", "api", "secured.yaml");
const SWAGGER2 = join(REPO, "test", "fixtures", "swagger2", "petshop.yaml");
const GITHUB = join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");

interface Case {
  spec: string;
  namespace: string;
  /** picofun.toml lines after namespace, spec and output_dir. */
  toml?: string;
  args?: string[];
  allowlist?: () => string;
}

const VPC = 'vpc_id = "vpc-0011223344556677f"\nsubnets = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]\n';

/** The first 50 operationIds of GitHub's spec, in document order. */
function github50(): string {
  const doc = JSON.parse(readFileSync(GITHUB, "utf8")) as { paths: Record<string, Record<string, { operationId?: string }>> };
  const ids: string[] = [];
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) if (op && typeof op === "object" && op.operationId && ids.length < 50) ids.push(op.operationId);
  }
  return `operationIds:\n${ids.map((id) => `  - ${JSON.stringify(id)}`).join("\n")}\n`;
}

const CASES: Record<string, Case> = {
  "orders client terraform": { spec: ORDERS, namespace: "orders" },
  "orders client cdk": { spec: ORDERS, namespace: "orders", toml: 'iac = "cdk"\n' },
  "orders client terraform vpc": { spec: ORDERS, namespace: "orders", toml: VPC },
  "orders client cdk vpc": { spec: ORDERS, namespace: "orders", toml: `iac = "cdk"\n${VPC}` },
  "orders client terraform stepfunctions example": { spec: ORDERS, namespace: "orders", toml: "[stepfunctions]\nexample = true\n" },
  "orders client cdk stepfunctions example": { spec: ORDERS, namespace: "orders", toml: 'iac = "cdk"\n[stepfunctions]\nexample = true\nhttp_tasks = true\n' },
  "orders api terraform": { spec: ORDERS, namespace: "orders", toml: 'kind = "api"\n' },
  "orders api cdk": { spec: ORDERS, namespace: "orders", toml: 'kind = "api"\niac = "cdk"\n' },
  "secured client terraform ssm": { spec: SECURED, namespace: "pets", args: ["--server-url", "https://pets.example.com"], toml: '[auth]\nstore = "ssm"\n' },
  "secured client terraform secretsmanager": { spec: SECURED, namespace: "pets", args: ["--server-url", "https://pets.example.com"], toml: '[auth]\nstore = "secretsmanager"\n' },
  "secured client cdk ssm": { spec: SECURED, namespace: "pets", args: ["--server-url", "https://pets.example.com"], toml: 'iac = "cdk"\n[auth]\nstore = "ssm"\n' },
  "secured client cdk secretsmanager": { spec: SECURED, namespace: "pets", args: ["--server-url", "https://pets.example.com"], toml: 'iac = "cdk"\n[auth]\nstore = "secretsmanager"\n' },
  "secured api terraform": { spec: SECURED, namespace: "pets", toml: 'kind = "api"\n' },
  "secured api cdk": { spec: SECURED, namespace: "pets", toml: 'kind = "api"\niac = "cdk"\n' },
  "swagger2 client terraform": { spec: SWAGGER2, namespace: "petshop" },
  "swagger2 api terraform": { spec: SWAGGER2, namespace: "petshop", toml: 'kind = "api"\n' },
  "github 50 client terraform": { spec: GITHUB, namespace: "github", allowlist: github50 },
  "github 50 client cdk": { spec: GITHUB, namespace: "github", toml: 'iac = "cdk"\n', allowlist: github50 },
  "github 50 api terraform": { spec: GITHUB, namespace: "github", toml: 'kind = "api"\n', allowlist: github50 },
};

/** Files whose bytes name the picofun build that wrote them (not the output's content). */
const BUILD_STAMPED = new Set(["output/.picofun-manifest.json"]);

/** Generates one case in a fresh project and hashes every file there (inputs too: the api kind may write into the spec). */
async function generateCase(c: Case): Promise<Record<string, string>> {
  const dir = tempProject();
  const specName = c.spec.endsWith(".json") ? "spec.json" : "spec.yaml";
  copyFileSync(c.spec, join(dir, specName));
  let toml = `namespace = "${c.namespace}"\nspec = "${specName}"\noutput_dir = "output"\n`;
  if (c.allowlist) {
    writeFileSync(join(dir, "include-endpoints.yaml"), c.allowlist());
    toml += 'include_endpoints = "include-endpoints.yaml"\n';
  }
  // Top-level keys must come before the first table: the case's lines go last.
  writeFileSync(join(dir, "picofun.toml"), toml + (c.toml ?? ""));
  const res = await runCli(["generate", ...(c.args ?? [])], { cwd: dir, timeoutMs: 300_000 });
  expect(res.code, res.stderr).toBe(0);
  const all = treeHashes(dir);
  return Object.fromEntries(
    Object.entries(all).filter(([f]) => !BUILD_STAMPED.has(f)),
  );
}

describe("golden output (byte for byte)", () => {
  const recorded = existsSync(GOLDEN) ? (JSON.parse(readFileSync(GOLDEN, "utf8")) as Record<string, Record<string, string>>) : {};
  const fresh: Record<string, Record<string, string>> = {};

  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const hashes = await generateCase(c);
      fresh[name] = hashes;
      if (UPDATE) return;
      expect(recorded[name], `no golden hashes for "${name}": run with PICOFUN_UPDATE_GOLDEN=1`).toBeDefined();
      const changed = Object.keys({ ...hashes, ...recorded[name] })
        .filter((f) => hashes[f] !== recorded[name]![f])
        .sort();
      expect(changed, `files that differ from the golden output of "${name}"`).toEqual([]);
    }, 600_000);
  }

  it("the golden file has exactly these cases", () => {
    if (UPDATE) {
      writeFileSync(GOLDEN, `${JSON.stringify(fresh, null, 1)}\n`);
      return;
    }
    expect(Object.keys(recorded).sort()).toEqual(Object.keys(CASES).sort());
  });
});
