import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE, type Tool } from "./env.js";
import { linkCdkModules } from "./cdk.js";

/**
 * The reviewers' own tools (checkov, cfn-lint) in a venv of their own, so the shared test venv stays
 * as it is. Pinned: a new release brings new rules, which should arrive as a reviewed change.
 */
export const REVIEW_PACKAGES = ["checkov==3.3.30", "cfn-lint==1.58.0"];
export const REVIEW_VENV = join(CACHE, "review-venv");
const bin = (tool: string) => join(REVIEW_VENV, "bin", tool);

/** Makes the review venv once per package list (global setup); records why when it cannot. */
export function setupReviewTools(missing: Partial<Record<Tool, string>>): void {
  if (missing.python) {
    missing.review = missing.python;
    return;
  }
  const stamp = join(REVIEW_VENV, ".picofun-packages");
  const wanted = REVIEW_PACKAGES.join(" ");
  if (existsSync(bin("checkov")) && existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return;
  const venv = spawnSync("python3", ["-m", "venv", "--clear", REVIEW_VENV], { encoding: "utf8" });
  const pip =
    venv.status === 0
      ? spawnSync(bin("python"), ["-m", "pip", "install", "--quiet", "--retries", "1", ...REVIEW_PACKAGES], { encoding: "utf8", timeout: 900_000 })
      : venv;
  if (pip.status !== 0) missing.review = `cannot make the review venv with ${wanted}: ${(pip.stderr || "").trim().split("\n").pop()}`;
  else writeFileSync(stamp, wanted);
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Finding {
  id: string;
  resource: string;
  file: string;
}

export interface CheckovResult {
  code: number | null;
  failed: Finding[];
  skipped: Array<Finding & { reason: string }>;
  passed: number;
  stderr: string;
}

/**
 * checkov over a Terraform folder (HCL and .tf.json), offline (no Prisma Cloud download).
 * `varFile` sets variables the way a caller of the module would.
 */
export async function checkov(dir: string, varFile?: string): Promise<CheckovResult> {
  const args = ["-d", dir, "--framework", "terraform", "--skip-download", "--compact", "-o", "json", ...(varFile ? ["--var-file", varFile] : [])];
  const r = await run(bin("checkov"), args, dir, { BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false" });
  let reports: any[] = [];
  try {
    const parsed = JSON.parse(r.stdout);
    reports = Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    throw new Error(`checkov did not answer JSON (exit ${r.code}): ${r.stdout.slice(0, 500)}${r.stderr.slice(-1500)}`);
  }
  const finding = (c: any): Finding => ({ id: c.check_id, resource: c.resource, file: c.file_path });
  return {
    code: r.code,
    failed: reports.flatMap((rep) => (rep.results?.failed_checks ?? []).map(finding)),
    skipped: reports.flatMap((rep) => (rep.results?.skipped_checks ?? []).map((c: any) => ({ ...finding(c), reason: String(c.check_result?.suppress_comment ?? "") }))),
    passed: reports.reduce((n, rep) => n + (rep.summary?.passed ?? 0), 0),
    stderr: r.stderr,
  };
}

/** cfn-lint over CloudFormation templates; findings are its text lines (exit 0: none). */
export async function cfnLint(files: string[]): Promise<{ code: number | null; out: string }> {
  const r = await run(bin("cfn-lint"), ["--format", "parseable", "--", ...files], CACHE);
  return { code: r.code, out: r.stdout + r.stderr };
}

export interface NagResult {
  code: number | null;
  out: string;
  /** What the rule packs report, as the ids to acknowledge them with (e.g. "AwsSolutions::AwsSolutions-L1"). */
  findings: string[];
}

/**
 * Synthesizes a generated CDK app's construct with cdk-nag's AwsSolutions and Serverless packs
 * registered as CDK validation plugins (cdk-nag 3.x: Validations.of(app).addPlugins), through an
 * app file of the test's own (`review-app.ts`, removed after): the generated app.ts is not changed.
 * `props` are the construct's props.
 */
export async function nagSynth(outputDir: string, props: object = {}): Promise<NagResult> {
  linkCdkModules(outputDir);
  const app = readFileSync(join(outputDir, "app.ts"), "utf8");
  const m = /import \{ (\w+) \} from "(\.\/lib\/[^"]+)";/.exec(app);
  if (!m) throw new Error("app.ts imports no construct");
  const file = join(outputDir, "review-app.ts");
  writeFileSync(
    file,
    [
      'import { App, Stack, Validations } from "aws-cdk-lib";',
      'import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";',
      `import { ${m[1]} } from ${JSON.stringify(m[2])};`,
      "const app = new App();",
      'const stack = new Stack(app, "review", { env: { account: "123456789012", region: "eu-west-1" } });',
      `new ${m[1]}(stack, ${JSON.stringify(m[1])}, ${JSON.stringify(props)});`,
      "Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));",
      "app.synth();",
    ].join("\n"),
  );
  try {
    const r = await run("npx", ["cdk", "synth", "--quiet", "--no-notices", "--app", "npx tsx review-app.ts"], outputDir, { CDK_DISABLE_CLI_TELEMETRY: "true" });
    const out = r.stdout + r.stderr;
    const findings = [...out.matchAll(/Acknowledge with '([^']+)'/g)].map((f) => f[1]);
    return { code: r.code, out, findings };
  } finally {
    rmSync(file, { force: true });
  }
}
