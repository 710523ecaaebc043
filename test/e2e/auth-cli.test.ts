import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";

function specWith(schemes: Record<string, unknown>, security: unknown[]): string {
  return JSON.stringify({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    servers: [{ url: "https://api.example.com" }],
    components: { securitySchemes: schemes },
    security,
    paths: { "/a": { get: { responses: { "200": { description: "ok" } } } } },
  });
}

const bearer = { bearerAuth: { type: "http", scheme: "bearer" } };
/** Schemes nothing unattended can apply. */
const unattendable = {
  digest: { type: "http", scheme: "digest" },
  bodyKey: { type: "apiKey", in: "body", name: "k" },
};

function project(toml: string[], spec: string): string {
  const dir = tempProject();
  writeFileSync(join(dir, "spec.json"), spec);
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "ns"', 'spec = "spec.json"', ...toml].join("\n"));
  return dir;
}

function expectOneLine(res: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(res.code).toBe(1);
  const lines = res.stderr.trim().split("\n");
  expect(lines, res.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe("automatic authentication: configuration and spec errors", () => {
  it("auth on by default + a preprocessor + a supported scheme: the seed's one-line error", async () => {
    const dir = project(['preprocessor = "hooks.pre"'], specWith(bearer, [{ bearerAuth: [] }]));
    expectOneLine(await runCli([], { cwd: dir }), /automatic authentication and a custom preprocessor cannot be used together; set \[auth\] enabled = false/);
  });

  it("auth enabled explicitly + a preprocessor: the same error, even without schemes", async () => {
    const dir = project(['preprocessor = "hooks.pre"', "[auth]", "enabled = true"], specWith({}, []));
    expectOneLine(await runCli([], { cwd: dir }), /cannot be used together/);
  });

  it("a preprocessor with auth on by default and no scheme to apply is fine", async () => {
    const dir = project(['preprocessor = "hooks.pre"', 'bundle = "code"'], specWith({}, []));
    mkdirSync(join(dir, "code"));
    writeFileSync(join(dir, "code", "hooks.py"), "def pre(args):\n    return args\n");
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(dir, "output", "layer", "auth_hooks.py"))).toBe(false);
  });

  it("only unsupported schemes: names them and says how to turn auth off", async () => {
    const dir = project([], specWith(unattendable, [{ digest: [] }, { bodyKey: [] }]));
    expectOneLine(
      await runCli([], { cwd: dir }),
      /security schemes are not supported: digest \(http digest\), bodyKey \(apiKey in body\);.*Set \[auth\] enabled = false in picofun\.toml/,
    );
  });

  it("some operations with only unsupported schemes: a warning each, the others authenticate", async () => {
    const spec = JSON.parse(specWith({ ...bearer, ...unattendable }, [{ bearerAuth: [] }])) as { paths: Record<string, unknown> };
    spec.paths["/b"] = { get: { security: [{ digest: [] }], responses: { "200": { description: "ok" } } } };
    const dir = project([], JSON.stringify(spec));
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("! GET /b allows only unsupported security (digest (http digest)): its function sends no credentials");
    expect(res.stdout).toContain('--name "/picorun/ns/credentials-http"');
  });

  it("[auth] enabled = false generates no auth hooks, no auth Terraform and no put-parameter note", async () => {
    const dir = project(["[auth]", "enabled = false"], specWith(unattendable, [{ digest: [] }]));
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(dir, "output", "layer", "auth_hooks.py"))).toBe(false);
    expect(existsSync(join(dir, "output", "auth.tf"))).toBe(false);
    expect(res.stdout).not.toMatch(/put-parameter/);
    const dir2 = project(["[auth]", "enabled = false"], specWith(bearer, [{ bearerAuth: [] }]));
    const res2 = await runCli([], { cwd: dir2 });
    expect(res2.code, res2.stderr).toBe(0);
    expect(existsSync(join(dir2, "output", "auth.tf"))).toBe(false);
  });

  it("turning auth off later removes the files it generated", async () => {
    const dir = project([], specWith(bearer, [{ bearerAuth: [] }]));
    expect((await runCli([], { cwd: dir })).code).toBe(0);
    expect(existsSync(join(dir, "output", "layer", "auth_hooks.py"))).toBe(true);
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "ns"', 'spec = "spec.json"', "[auth]", "enabled = false"].join("\n"));
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(dir, "output", "layer", "auth_hooks.py"))).toBe(false);
    expect(existsSync(join(dir, "output", "auth.tf"))).toBe(false);
    expect(readFileSync(join(dir, "output", "lambda.tf"), "utf8")).not.toContain("PICORUN_CREDENTIALS_TTL");
  });
});
