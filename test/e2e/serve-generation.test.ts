import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { startServeCli } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";
import { treeHashes } from "../support/tree.js";

const SPEC = join(REPO, "test", "fixtures", "api", "serve.yaml");

describeWithTools("picofun serve keeps the options output was generated with", ["python"], () => {
  it("after generate --iac cdk: serving leaves the output as it is, and a spec save regenerates it as CDK again", async () => {
    const dir = tempProject();
    copyFileSync(SPEC, join(dir, "serve.yaml"));
    writeFileSync(join(dir, "picofun.toml"), 'namespace = "shop"\nspec = "serve.yaml"\nkind = "api"\n');
    const gen = await runCli(["generate", "--iac", "cdk"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    const out = join(dir, "output");
    expect(existsSync(join(out, "main.tf"))).toBe(false);
    const before = treeHashes(out);
    const serve = await startServeCli(dir);
    try {
      expect(treeHashes(out)).toEqual(before);
      const from = serve.log().length;
      writeFileSync(join(dir, "serve.yaml"), readFileSync(join(dir, "serve.yaml"), "utf8").replace("paths:\n", "paths:\n  /added:\n    get:\n      operationId: getAdded\n      responses:\n        \"200\":\n          description: New\n"));
      await serve.waitFor(/spec changed: \d+ routes/, from, 60_000);
    } finally {
      await serve.stop();
    }
    const after = treeHashes(out);
    // Still the CDK app: no Terraform module appeared, no CDK file went away.
    expect(Object.keys(after).filter((f) => f.endsWith(".tf"))).toEqual([]);
    for (const f of Object.keys(before).filter((f) => f.endsWith(".ts") || f === "cdk.json")) expect(Object.keys(after)).toContain(f);
  }, 120_000);
});
