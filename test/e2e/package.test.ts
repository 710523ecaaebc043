/**
 * The npm packages as a release would publish them: a clean `git clone` of this checkout's HEAD
 * (uncommitted changes are not in it), `npm ci`, `npm pack` of picofun (its prepack builds) and of
 * create-picofun, then the tarballs installed into empty folders. One clone and one pack per run;
 * about 60-90 s here (npm ci of the dev dependencies is most of it). `npm ci` asks npm's registry
 * for what its cache lacks: without a reachable registry the block is skipped with the reason
 * printed (a failure under PICOFUN_REQUIRE_E2E=1), as describeWithTools does for other tools.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import { parse as parseToml } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO, REQUIRE_E2E } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, timeoutMs = 300_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" },
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

/** Bytes of every file under a folder (links not followed). */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(file);
    else total += lstatSync(file).size;
  }
  return total;
}

function emptyProject(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", private: true }));
  return dir;
}

const registry = spawnSync("npm", ["ping"], { encoding: "utf8", timeout: 30_000 });
const noRegistry = registry.status === 0 ? undefined : `npm registry not reachable (npm ping: ${(registry.stderr || "timed out").trim().split("\n").pop()})`;
const describeWithRegistry = noRegistry && !REQUIRE_E2E ? describe.skip : describe;
if (noRegistry) console.warn(`[skip] package.test.ts: ${noRegistry}`);

describeWithRegistry("the packed packages, from a clean clone", () => {
  let root: string;
  let picofunTgz: string;
  let createTgz: string;
  let files: string[];
  const version = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version as string;

  beforeAll(async () => {
    if (noRegistry) throw new Error(`required: ${noRegistry}`);
    root = tempProject();
    const clone = join(root, "clone");
    const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: REPO, encoding: "utf8" }).stdout.trim();
    for (const args of [["clone", "--quiet", "--no-checkout", REPO, clone], ["-C", clone, "checkout", "--quiet", head]]) {
      const git = await run("git", args, root);
      expect(git.code, git.stderr).toBe(0);
    }
    // No install scripts: nothing picofun's build needs runs one, and prepack below is npm pack's own.
    const ci = await run("npm", ["ci", "--ignore-scripts", "--prefer-offline"], clone, 600_000);
    expect(ci.code, ci.stderr).toBe(0);
    expect(existsSync(join(clone, "dist")), "a clean clone has no build").toBe(false);
    const tarballs = join(root, "tarballs");
    mkdirSync(tarballs);
    for (const dir of [clone, join(clone, "create-picofun")]) {
      const packed = await run("npm", ["pack", "--pack-destination", tarballs], dir);
      expect(packed.code, packed.stderr).toBe(0);
    }
    expect(readdirSync(tarballs).sort()).toEqual([`create-picofun-${version}.tgz`, `picofun-${version}.tgz`]);
    picofunTgz = join(tarballs, `picofun-${version}.tgz`);
    createTgz = join(tarballs, `create-picofun-${version}.tgz`);
    files = spawnSync("tar", ["-tzf", picofunTgz], { encoding: "utf8" })
      .stdout.split("\n")
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ""));
  }, 900_000);

  it("holds the build, the licence and the docs, and nothing that never runs", () => {
    for (const f of ["LICENSE", "README.md", "bin/picofun.js", "dist/bundle/main.js", "dist/bundle/picofun.cjs", "dist/bundle/THIRD-PARTY-NOTICES.md", "dist/templates.cjs", "docs/wizard.md"]) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => f.startsWith("dist/src/") || f.startsWith("generators/") || f === "plopfile.ts")).toEqual([]);
    const pkg = JSON.parse(spawnSync("tar", ["-xzOf", picofunTgz, "package/package.json"], { encoding: "utf8" }).stdout);
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\//);
    expect(pkg.homepage).toBeTruthy();
    expect(pkg.bugs.url).toBeTruthy();
    // Every relative link of the README (shown on the package page) points at a file in the package.
    const readme = spawnSync("tar", ["-xzOf", picofunTgz, "package/README.md"], { encoding: "utf8" }).stdout;
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^(https?:|mailto:|#)/.test(l));
    expect(links.length).toBeGreaterThanOrEqual(11);
    for (const link of links) expect(files, link).toContain(posix.normalize(link.split("#")[0]));
  });

  it("installs into an empty project as one package, under 10 MB and 20 packages, and runs from there", async () => {
    const app = emptyProject(root, "app");
    const installed = await run("npm", ["install", picofunTgz], app);
    expect(installed.code, installed.stderr).toBe(0);
    const listed = spawnSync("npm", ["ls", "--all", "--parseable"], { cwd: app, encoding: "utf8" }).stdout.split("\n").filter(Boolean);
    const packages = listed.length - 1; // the first line is the project itself
    const bytes = treeBytes(join(app, "node_modules"));
    console.log(`installed: ${packages} package(s), ${(bytes / 1e6).toFixed(1)} MB`);
    expect(packages).toBeLessThan(20);
    expect(bytes).toBeLessThan(10 * 1024 * 1024);

    // The packages bundled into vendor/ load from the installed package: a glob (picofun's own matcher),
    // an allowlist edit (yaml), an external $ref (swagger-parser), a template of the user's own
    // (the Handlebars compiler).
    const picofun = join(app, "node_modules", ".bin", "picofun");
    const doctor = await run(picofun, ["doctor", "--offline"], app);
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stdout).toMatch(/^No picofun.toml here.*\nok +node +\d+/);
    const init = await run(picofun, ["init", "demo", "--yes", "--spec", ORDERS_SPEC, "--endpoints", "GET /orders/*", "--server-url", "http://127.0.0.1:4010"], app);
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    const demo = join(app, "demo");
    const added = await run(picofun, ["add", "endpoint", "listOrders"], demo);
    expect(added.code, added.stderr).toBe(0);
    expect(readFileSync(join(demo, "include-endpoints.yaml"), "utf8")).toContain("listOrders");
    writeFileSync(
      join(app, "spec.yaml"),
      "openapi: 3.0.3\ninfo: { title: Refs, version: '1' }\nservers: [{ url: 'https://api.example.com' }]\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '200': { description: ok, content: { application/json: { schema: { $ref: 'schemas.yaml#/Thing' } } } }\n",
    );
    writeFileSync(join(app, "schemas.yaml"), "Thing:\n  type: object\n  properties: { id: { type: string } }\n");
    mkdirSync(join(app, "mine", "client"), { recursive: true });
    writeFileSync(join(app, "mine", "client", "handler.py.hbs"), '"""{{! a comment only the compiler removes }}mine"""\n');
    writeFileSync(join(app, "picofun.toml"), 'namespace = "refs"\nspec = "spec.yaml"\ntemplate_path = "mine"\n');
    const gen = await run(picofun, ["generate"], app);
    expect(gen.code, gen.stderr).toBe(0);
    expect(readFileSync(join(app, "output", "lambdas", "get_things.py"), "utf8")).toBe('"""mine"""\n');
  });

  it("`npx --package=<tarball> picofun --help` works in an empty folder", async () => {
    const empty = join(root, "empty");
    mkdirSync(empty);
    const help = await run("npx", ["--yes", `--package=${picofunTgz}`, "picofun", "--help"], empty);
    expect(ours(help.stderr)).toBe("");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: picofun /);
    expect(help.stdout).toContain("doctor");
  });

  it("npm create-style: create-picofun's tarball, with picofun's, makes a project from the example", async () => {
    const empty = join(root, "create");
    mkdirSync(empty);
    const res = await run("npm", ["exec", "--yes", `--package=${createTgz}`, `--package=${picofunTgz}`, "--", "create-picofun", "demo", "--yes", "--spec", ORDERS_SPEC, "--server-url", "http://127.0.0.1:4010"], empty);
    expect(ours(res.stderr)).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("6 functions for Orders API in demo/output");
    expect(readdirSync(join(empty, "demo", "output", "lambdas"))).toHaveLength(6);
  });

  it("`npm create picofun -- demo --yes ...` with both installed writes the project, and the installed picofun regenerates it unchanged", async () => {
    const app = emptyProject(root, "both");
    const installed = await run("npm", ["install", picofunTgz, createTgz], app);
    expect(installed.code, installed.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(app, "node_modules", "create-picofun", "package.json"), "utf8")).dependencies).toEqual({ picofun: version });
    const res = await run("npm", ["create", "picofun", "--", "demo", "--yes", "--spec", ORDERS_SPEC, "--server-url", "http://127.0.0.1:4010"], app);
    expect(ours(res.stderr)).toBe("");
    expect(res.code).toBe(0);
    const demo = join(app, "demo");
    expect(parseToml(readFileSync(join(demo, "picofun.toml"), "utf8"))).toMatchObject({ namespace: "orders", server: { url: "http://127.0.0.1:4010" } });
    // picofun installed from a package asks for its own version, not for a file: link.
    expect(JSON.parse(readFileSync(join(demo, "package.json"), "utf8")).devDependencies).toEqual({ picofun: `^${version}` });
    // The .gitignore came out of the tarball (npm pack drops files named .gitignore).
    expect(readFileSync(join(demo, ".gitignore"), "utf8")).toContain(".terraform/");
    const again = await run("npm", ["exec", "--", "picofun", "generate"], demo);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/6 functions .* 0 written, \d+ unchanged, 0 removed/s);

    // Without a terminal and without --yes it refuses instead of waiting.
    const refused = await run("npm", ["create", "picofun", "--", "demo2"], app, 30_000);
    expect(refused.code).toBe(1);
    expect(ours(refused.stderr)).toMatch(/^picofun: error: no terminal to ask questions on; run again with --yes/);
    expect(existsSync(join(app, "demo2"))).toBe(false);
  });
});
