import { join } from "node:path";
import { expect, it } from "vitest";
import { describe } from "vitest";
import { cdkSynth, ofType, synthesizedTemplates } from "../support/cdk.js";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";

const GITHUB = join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");

describe("CDK output for GitHub's spec (1,223 operations)", () => {
  it("synthesizes with the functions spread over nested stacks, every stack under 500 resources", async () => {
    const dir = tempProject();
    const res = await runCli(["generate", "github", GITHUB, "--iac", "cdk"], { cwd: dir, timeoutMs: 300_000 });
    expect(res.code, res.stderr).toBe(0);
    const out = join(dir, "output");
    const synth = await cdkSynth(out);
    expect(synth.code, synth.out.slice(-2000)).toBe(0);
    const templates = synthesizedTemplates(out);
    const nested = [...templates.keys()].filter((f) => f.endsWith(".nested.template.json"));
    expect(nested.length).toBeGreaterThanOrEqual(3);
    let functions = 0;
    for (const [name, t] of templates) {
      const count = Object.keys(t.Resources).length;
      expect(count, name).toBeLessThan(500);
      functions += ofType(t, "AWS::Lambda::Function").filter((f) => String(f.Properties.FunctionName ?? "").startsWith("github_")).length;
    }
    expect(functions).toBe(1223);
    const main = templates.get("github.template.json")!;
    expect(ofType(main, "AWS::CloudFormation::Stack")).toHaveLength(nested.length);
  }, 1_800_000);
});
