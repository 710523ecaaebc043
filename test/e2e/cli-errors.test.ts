import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

function expectOneLine(res: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(res.code).toBe(1);
  const lines = res.stderr.trim().split("\n");
  expect(lines, res.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(res.stderr).not.toMatch(/\s+at\s.+:\d+:\d+/);
}

describe("bad input: one line on stderr, exit 1, no stack trace", () => {
  it("a missing spec file", async () => {
    expectOneLine(await runCli(["ns", "nope.yaml"], { cwd: tempProject() }), /^picofun: error: spec file not found: .*nope\.yaml$/);
  });

  it("a broken spec (invalid YAML, not OpenAPI, unsupported version)", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "bad.yaml"), "openapi: 3.0.0\npaths: {\n");
    expectOneLine(await runCli(["ns", "bad.yaml"], { cwd: dir }), /invalid YAML \(line \d+, column \d+\)/);
    writeFileSync(join(dir, "notapi.json"), '{"hello": "world"}');
    expectOneLine(await runCli(["ns", "notapi.json"], { cwd: dir }), /not an OpenAPI document/);
    writeFileSync(join(dir, "v4.yaml"), "openapi: 4.0.0\npaths: {}\n");
    expectOneLine(await runCli(["ns", "v4.yaml"], { cwd: dir }), /OpenAPI 4\.0\.0 is not supported/);
    writeFileSync(join(dir, "dangling.yaml"), 'openapi: 3.0.0\ninfo: {title: t, version: "1"}\nservers: [{url: "https://x.example.com"}]\npaths:\n  /a:\n    get:\n      parameters: [{$ref: "#/components/parameters/Nope"}]\n      responses: {"200": {description: ok}}\n');
    expectOneLine(await runCli(["ns", "dangling.yaml"], { cwd: dir }), /\$ref "#\/components\/parameters\/Nope" points to nothing/);
  });

  it("an unreachable spec URL", async () => {
    expectOneLine(await runCli(["ns", "http://127.0.0.1:9/openapi.json"], { cwd: tempProject() }), /cannot fetch spec http:\/\/127\.0\.0\.1:9\/openapi\.json/);
  });

  it("a bad config", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "picofun.toml"), `namespace = "ns"\nspec = "${ORDERS_SPEC}"\nxray = false\n`);
    expectOneLine(await runCli([], { cwd: dir }), /unknown key "xray" \(did you mean "xray_tracing"\?\)/);
  });

  it("a missing allowlist file", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "picofun.toml"), `namespace = "ns"\nspec = "${ORDERS_SPEC}"\ninclude_endpoints = "missing.yaml"\n`);
    expectOneLine(await runCli([], { cwd: dir }), /include_endpoints file not found: .*missing\.yaml/);
  });

  it("a spec without servers and no --server-url", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "s.yaml"), 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses: {"200": {description: ok}}\n');
    expectOneLine(await runCli(["ns", "s.yaml"], { cwd: dir }), /has no servers; pass --server-url/);
    const ok = await runCli(["ns", "s.yaml", "--server-url", "https://a.example.com"], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it("no namespace, and a mistyped command word", async () => {
    expectOneLine(await runCli([], { cwd: tempProject() }), /^picofun: error: no picofun\.toml in .+: run "picofun init"/);
    expectOneLine(await runCli(["generat", "endpoint"], { cwd: tempProject() }), /"generat" is not a command \(did you mean "picofun generate"\?\)/);
  });

  it("an output folder that is a file", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "out"), "a file\n");
    const res = await runCli(["ns", ORDERS_SPEC, "--output-dir", "out"], { cwd: dir });
    expectOneLine(res, /output folder .*out is a file; choose another output_dir/);
  });

  it("--debug shows the stack trace", async () => {
    const res = await runCli(["ns", "nope.yaml", "--debug"], { cwd: tempProject() });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/UserError: spec file not found/);
    expect(res.stderr).toMatch(/\s+at\s/);
  });
});
