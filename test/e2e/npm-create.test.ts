import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function npm(args: string[], cwd: string, timeoutMs = 180_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", args, {
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
      // Dependencies come from npm's cache; the registry is only asked about what is missing there.
      env: { ...process.env, NO_COLOR: "1", npm_config_prefer_offline: "true", npm_config_update_notifier: "false" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end();
  });
}

/** stderr without npm's own warnings about this machine's npmrc. */
function ours(stderr: string): string {
  return stderr
    .split("\n")
    .filter((l) => l && !l.startsWith("npm warn"))
    .join("\n");
}

describe("npm pack both packages, install the tarballs, npm create picofun", () => {
  let project: string;
  const version = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version as string;

  beforeAll(async () => {
    expect(existsSync(join(REPO, "dist", "src", "cli", "main.js")), "build first: npx tsc -p tsconfig.json").toBe(true);
    const root = tempProject();
    const tarballs = join(root, "tarballs");
    mkdirSync(tarballs);
    for (const dir of [REPO, join(REPO, "create-picofun")]) {
      const packed = await npm(["pack", "--pack-destination", tarballs], dir);
      expect(packed.code, packed.stderr).toBe(0);
    }
    const files = readdirSync(tarballs).sort();
    expect(files).toEqual([`create-picofun-${version}.tgz`, `picofun-${version}.tgz`]);
    project = join(root, "app");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
    const installed = await npm(["install", "--no-audit", "--no-fund", ...files.map((f) => join(tarballs, f))], project);
    expect(installed.code, installed.stderr).toBe(0);
  }, 300_000);

  it("create-picofun asks for the picofun of its own version", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, "create-picofun", "package.json"), "utf8"));
    expect(pkg.version).toBe(version);
    expect(pkg.dependencies).toEqual({ picofun: version });
    expect(JSON.parse(readFileSync(join(project, "node_modules", "create-picofun", "package.json"), "utf8")).version).toBe(version);
  });

  it("`npm create picofun -- demo --yes ...` writes the project and the generated functions", async () => {
    const res = await npm(["create", "picofun", "--", "demo", "--yes", "--spec", ORDERS_SPEC, "--server-url", "http://127.0.0.1:4010"], project);
    expect(ours(res.stderr)).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("6 functions for Orders API in demo/output");
    const demo = join(project, "demo");
    expect(parseToml(readFileSync(join(demo, "picofun.toml"), "utf8"))).toMatchObject({ namespace: "orders", server: { url: "http://127.0.0.1:4010" } });
    // picofun installed from a package asks for its own version, not for a file: link.
    expect(JSON.parse(readFileSync(join(demo, "package.json"), "utf8")).devDependencies).toEqual({ picofun: `^${version}` });
    expect(readdirSync(join(demo, "output", "lambdas"))).toHaveLength(6);
    expect(readdirSync(join(demo, "output", "build", "lambdas"))).toHaveLength(6);
    // The .gitignore came out of the tarball (npm pack drops files named .gitignore).
    expect(readFileSync(join(demo, ".gitignore"), "utf8")).toContain(".terraform/");

    // The installed picofun regenerates the project from its picofun.toml: nothing changes.
    const again = await npm(["exec", "--", "picofun", "generate"], demo);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/6 functions .* 0 written, \d+ unchanged, 0 removed/s);
  });

  it("without a terminal and without --yes it refuses instead of waiting", async () => {
    const res = await npm(["create", "picofun", "--", "demo2"], project, 30_000);
    expect(res.code).toBe(1);
    expect(ours(res.stderr)).toMatch(/^picofun: error: no terminal to ask questions on; run again with --yes/);
    expect(existsSync(join(project, "demo2"))).toBe(false);
  });
});
