import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CDK_DEPENDENCIES, CDK_DEV_DEPENDENCIES } from "../../src/iac/cdk/versions.js";
import { CACHE } from "./env.js";

/** Test-only: the reviewers' rule packs run inside the synth of generated apps (test/e2e/review-cdk.test.ts). */
export const CDK_NAG_VERSION = "3.0.2";
const PACKAGES = { ...CDK_DEPENDENCIES, ...CDK_DEV_DEPENDENCIES, "cdk-nag": CDK_NAG_VERSION };
const KEY = createHash("sha256").update(JSON.stringify(PACKAGES)).digest("hex").slice(0, 16);
/** The CDK packages generated apps use, installed once (per set of versions) and shared by every test. */
export const CDK_MODULES_DIR = join(CACHE, "cdk", KEY);

/**
 * Installs the packages of a generated CDK app into the cache folder unless they are there
 * (the test run's global setup calls this once). Returns the node_modules folder.
 */
export function ensureCdkModules(): string {
  const modules = join(CDK_MODULES_DIR, "node_modules");
  if (existsSync(join(CDK_MODULES_DIR, ".installed"))) return modules;
  const work = `${CDK_MODULES_DIR}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, "package.json"), JSON.stringify({ name: "picofun-test-cdk", private: true, dependencies: PACKAGES }, null, 2));
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: work, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm install of the CDK packages failed: ${(r.stderr || r.stdout).trim().split("\n").pop()}`);
  writeFileSync(join(work, ".installed"), JSON.stringify(PACKAGES));
  if (existsSync(join(CDK_MODULES_DIR, ".installed"))) {
    // Another test run finished first: keep its copy (it may be in use).
    rmSync(work, { recursive: true, force: true });
    return modules;
  }
  rmSync(CDK_MODULES_DIR, { recursive: true, force: true });
  renameSync(work, CDK_MODULES_DIR);
  return modules;
}

/** Links the cached node_modules into a generated CDK app (in place of its own npm install). */
export function linkCdkModules(outputDir: string): void {
  const target = join(outputDir, "node_modules");
  if (!existsSync(target)) symlinkSync(ensureCdkModules(), target, "dir");
}

/** `npx cdk synth` in a generated app; resolves with the exit code and output. */
export function cdkSynth(outputDir: string, timeoutMs = 900_000): Promise<{ code: number | null; out: string; ms: number }> {
  linkCdkModules(outputDir);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["cdk", "synth", "--quiet", "--no-notices"], {
      cwd: outputDir,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: "true", AWS_REGION: "eu-west-1", CDK_DEFAULT_REGION: "eu-west-1", CDK_DEFAULT_ACCOUNT: "123456789012" },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: Date.now() - started });
    });
  });
}

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, any>; DependsOn?: unknown; DeletionPolicy?: string }>;
  Outputs?: Record<string, any>;
  Parameters?: Record<string, unknown>;
}

/** Every template of a synthesized app (the stack's and each nested stack's), by file name. */
export function synthesizedTemplates(outputDir: string): Map<string, CfnTemplate> {
  const dir = join(outputDir, "cdk.out");
  const out = new Map<string, CfnTemplate>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".template.json")).sort()) {
    out.set(f, JSON.parse(readFileSync(join(dir, f), "utf8")) as CfnTemplate);
  }
  return out;
}

/** The resources of a template of the given type. */
export function ofType(t: CfnTemplate, type: string): Array<{ id: string; Properties: Record<string, any> }> {
  return Object.entries(t.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => ({ id, Properties: r.Properties ?? {} }));
}

/** What one in-process synth of a construct gave: its stack's template, or the error it threw. */
export type ConstructResult = { template: CfnTemplate } | { error: string };

/**
 * Instantiates a generated app's construct once per props object, each in its own App and stack
 * ("t", account 123456789012, eu-west-1), and synthesizes it in-process with aws-cdk-lib (one
 * node process for all of them; nested stacks are not included).
 */
export function synthConstruct(outputDir: string, importPath: string, className: string, props: object[]): ConstructResult[] {
  linkCdkModules(outputDir);
  const script = join(outputDir, ".picofun-test-synth.ts");
  writeFileSync(
    script,
    [
      'import { App, Stack } from "aws-cdk-lib";',
      `import { ${className} } from ${JSON.stringify(importPath)};`,
      `const all: object[] = ${JSON.stringify(props)};`,
      "const out = all.map((props) => {",
      "  try {",
      "    const app = new App();",
      '    const stack = new Stack(app, "t", { env: { account: "123456789012", region: "eu-west-1" } });',
      `    new ${className}(stack, "C", props);`,
      '    return { template: app.synth().getStackByName("t").template };',
      "  } catch (err) {",
      "    return { error: (err as Error).message };",
      "  }",
      "});",
      "process.stdout.write(JSON.stringify(out));",
    ].join("\n"),
  );
  const r = spawnSync("npx", ["tsx", script], { cwd: outputDir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: "true" } });
  rmSync(script, { force: true });
  if (r.status !== 0) throw new Error(`in-process synth failed: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout) as ConstructResult[];
}
