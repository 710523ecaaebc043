import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { FAKE_PROVIDER_LINES, terraformEnv } from "../support/terraform.js";

const spec = {
  openapi: "3.0.3",
  info: { title: "Sec", version: "1" },
  servers: [{ url: "https://api.example.com" }],
  components: { securitySchemes: { b: { type: "http", scheme: "bearer" } } },
  security: [{ b: [] }],
  paths: { "/a": { get: { operationId: "getA", responses: { "200": { description: "ok" } } } } },
};

/** The indented command lines under "Next steps:" (or "Next:"), comments dropped. */
function steps(stdout: string, heading: string): string[] {
  const block = stdout.split(`\n${heading}\n`)[1] ?? "";
  const out: string[] = [];
  for (const line of block.split("\n")) {
    if (!line.startsWith("  ")) break;
    const command = line.replace(/\s+#.*$/, "").trim();
    if (command) out.push(command);
  }
  return out;
}

describeWithTools("the printed next steps work as printed", ["terraform"], () => {
  it("init's steps, run in order in a fresh project (apply as plan, offline provider), then generate prints the same", async () => {
    const cwd = tempProject();
    writeFileSync(join(cwd, "s.json"), JSON.stringify(spec));
    const res = await runCli(["init", "shop", "--yes", "--spec", "s.json"], { cwd });
    expect(res.code, res.stderr).toBe(0);
    const printed = steps(res.stdout, "Next steps:");
    expect(printed).toEqual(["cd shop", "npm install", "terraform init", "terraform apply"]);
    // Credentials come after the deployment, reading the key from the root module's outputs.
    const after = res.stdout.split("\nNext steps:\n")[1];
    expect(after).toMatch(/\n\nAuthentication: after terraform apply/);
    expect(after).toContain('--key-id "$(terraform output -raw credentials_kms_key_arn)"');
    expect(after).toContain("--value file://credentials-http.json");

    let dir = cwd;
    const env = { ...process.env, ...terraformEnv(), TF_VAR_region: "eu-west-1" };
    for (const step of printed) {
      if (step.startsWith("cd ")) {
        dir = join(dir, step.slice(3));
        // Offline: only the provider's credentials are faked, through an override file.
        writeFileSync(join(dir, "provider_override.tf"), [...FAKE_PROVIDER_LINES.filter((l) => !l.includes("region ")), "}", ""].join("\n"));
        continue;
      }
      const [cmd, ...args] = step.split(" ");
      const real = step === "terraform apply" ? ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color"] : cmd === "npm" ? [...args, "--offline", "--no-audit", "--no-fund"] : [...args, "-input=false", "-no-color"];
      const run = spawnSync(cmd, real, { cwd: dir, env, encoding: "utf8" });
      expect(run.status, `${step}\n${run.stdout}\n${run.stderr}`).toBe(0);
      if (step === "terraform apply") expect(run.stdout).toMatch(/module\.sec\.aws_lambda_function\.this\["sec_get_a"\] will be created/);
    }
    expect(existsSync(join(dir, "output", ".terraform"))).toBe(false);
    expect(existsSync(join(dir, "node_modules", "picofun"))).toBe(true);

    const again = await runCli(["generate"], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(steps(again.stdout, "Next:")).toEqual(["terraform init", "terraform apply"]);
    expect(again.stdout.split("\nNext:\n")[1]).toContain("Authentication: after terraform apply");
  }, 300_000);

  it("without a root module, generate shows the module block to call instead of cd output", async () => {
    const cwd = tempProject();
    writeFileSync(join(cwd, "s.json"), JSON.stringify(spec));
    const res = await runCli(["x", "s.json"], { cwd });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toContain("cd output");
    expect(res.stdout).toContain('#   module "x" { source = "./output" }');
  });
});
