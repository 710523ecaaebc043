import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { linkCdkModules } from "../support/cdk.js";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";

/**
 * The client construct's `tasks` property holds the Lambda Task states the data file lists (the
 * deployment model's `stepFunctions.tasks`), not whatever lies in stepfunctions/: a file the data
 * file names is read, a stray one is not.
 */

function constructTasks(out: string): Record<string, unknown> {
  linkCdkModules(out);
  const script = join(out, ".picofun-test-tasks.ts");
  writeFileSync(
    script,
    [
      'import { App, Stack } from "aws-cdk-lib";',
      'import { OrdersFunctions } from "./lib/orders-functions";',
      'const stack = new Stack(new App(), "t", { env: { account: "123456789012", region: "eu-west-1" } });',
      'process.stdout.write(JSON.stringify(new OrdersFunctions(stack, "C").tasks));',
    ].join("\n"),
  );
  const r = spawnSync("npx", ["tsx", script], { cwd: out, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: "true" } });
  rmSync(script, { force: true });
  if (r.status !== 0) throw new Error(r.stderr || r.stdout);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe("CDK client construct: tasks from the data file's Task state list", () => {
  it("reads each listed file under its function's name; a stray file in stepfunctions/ is not a task", async () => {
    const dir = tempProject();
    copyFileSync(join(REPO, "examples", "orders", "openapi.yaml"), join(dir, "spec.yaml"));
    writeFileSync(join(dir, "picofun.toml"), 'namespace = "orders"\nspec = "spec.yaml"\noutput_dir = "output"\niac = "cdk"\n');
    const res = await runCli(["generate"], { cwd: dir, timeoutMs: 300_000 });
    expect(res.code, res.stderr).toBe(0);
    const out = join(dir, "output");
    const listed = JSON.parse(readFileSync(join(out, "lib", "functions.json"), "utf8")).tasks as Record<string, string>;
    expect(Object.keys(listed).length).toBeGreaterThan(2);
    writeFileSync(join(out, "stepfunctions", "stray.json"), '{"Type":"Pass"}');
    const tasks = constructTasks(out);
    expect(Object.keys(tasks).sort()).toEqual(Object.keys(listed).sort());
    for (const [name, file] of Object.entries(listed)) expect(tasks[name]).toEqual(JSON.parse(readFileSync(join(out, file), "utf8")));
  }, 300_000);
});
