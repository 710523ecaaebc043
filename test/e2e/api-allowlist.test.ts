import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";

const GITHUB = join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");

describe("api kind: only the operations the allowlist keeps are checked", () => {
  it("GitHub's spec (rejected as a whole) with a two-operation allowlist generates two functions", async () => {
    // The whole spec has paths API Gateway rejects ({base}...{head}): lint says so.
    const lint = await runCli(["lint", GITHUB]);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toMatch(/path-segment/);

    const dir = tempProject();
    writeFileSync(join(dir, "include-endpoints.yaml"), "operationIds:\n  - repos/get\n  - users/get-authenticated\n");
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "gh"', `spec = "${GITHUB}"`, 'kind = "api"', 'include_endpoints = "include-endpoints.yaml"'].join("\n") + "\n");
    const res = await runCli([], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/✔ 2 API operations/);
    const functions = JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.functions;
    expect(Object.values<any>(functions).map((f) => f.operation_id).sort()).toEqual(["repos/get", "users/get-authenticated"]);
    expect(readdirSync(join(dir, "handlers")).sort()).toEqual(["repos_get.py", "users_get_authenticated.py"]);
    // The definition holds the two operations and only the models they use.
    const body = JSON.parse(readFileSync(join(dir, "output", "openapi.json.tftpl"), "utf8").replace(/\$\{uris\.[A-Za-z0-9_-]+\}/g, "URI"));
    expect(Object.keys(body.paths).sort()).toEqual(["/repos/{owner}/{repo}", "/user"]);
    expect(Object.keys(body.components.schemas).length).toBeLessThan(40);
  }, 120_000);

  it("a problem in a kept operation still stops generation, and nothing is written", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "include-endpoints.yaml"), "operationIds:\n  - repos/compare-commits\n");
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "gh"', `spec = "${GITHUB}"`, 'kind = "api"', 'include_endpoints = "include-endpoints.yaml"'].join("\n") + "\n");
    const res = await runCli([], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^picofun: error: .*API Gateway would reject the spec: path-segment at #\/paths\/~1repos~1\{owner\}~1\{repo\}~1compare~1.*\n$/);
    expect(existsSync(join(dir, "handlers"))).toBe(false);
    expect(existsSync(join(dir, "output"))).toBe(false);
  }, 120_000);
});
