import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/env.js";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { writeSecuredSpec } from "../support/wizard.js";

const CREATE_BIN = join(REPO, "bin", "create-picofun.js");

describe("picofun init --yes", () => {
  it("writes the project from flags, generates, and `picofun generate` in it finds everything up to date", async () => {
    const cwd = tempProject();
    const res = await runCli(
      ["init", "demo", "--yes", "--spec", ORDERS_SPEC, "--endpoints", "listOrders,GET /orders/{orderId}", "--tag", "team=core", "--server-url", "http://127.0.0.1:4010"],
      { cwd },
    );
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const project = join(cwd, "demo");
    expect(res.stdout).toContain("2 functions for Orders API in demo/output");
    expect(res.stdout).toMatch(/^  terraform init +#/m);
    expect(res.stdout).toContain("Wrote main.tf");
    expect(res.stdout).not.toContain("ssm put-parameter");
    expect(readdirSync(join(project, "output", "lambdas")).sort()).toEqual(["get_orders.py", "get_orders_orderId.py"]);
    const toml = parseToml(readFileSync(join(project, "picofun.toml"), "utf8"));
    expect(toml).toMatchObject({ namespace: "orders", kind: "client", include_endpoints: "include-endpoints.yaml", tags: { team: "core" } });
    const pkg = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
    expect(pkg.scripts.generate).toBe("picofun generate");
    expect(pkg.devDependencies.picofun).toMatch(/^file:/); // run from a checkout (npm-create.test.ts covers the installed package)
    expect(readFileSync(join(project, ".gitignore"), "utf8")).toContain(".terraform/");

    const again = await runCli(["generate"], { cwd: project });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/2 functions .* 0 written, \d+ unchanged, 0 removed/s);
  });

  it("prints the ssm put-parameter line when auth is on and off with --no-auth", async () => {
    const cwd = tempProject();
    const spec = writeSecuredSpec(cwd);
    const on = await runCli(["init", "notes", "--yes", "--spec", "secured.yaml"], { cwd });
    expect(on.code).toBe(0);
    expect(on.stdout).toContain('--name "/picorun/secure-notes/credentials-http"');
    expect(parseToml(readFileSync(join(cwd, "notes", "picofun.toml"), "utf8")).auth).toEqual({ enabled: true, ttl_minutes: 5 });
    const off = await runCli(["init", "notes2", "--yes", "--spec", spec, "--no-auth", "--namespace", "notes"], { cwd });
    expect(off.code).toBe(0);
    expect(off.stdout).not.toContain("ssm put-parameter");
    expect(parseToml(readFileSync(join(cwd, "notes2", "picofun.toml"), "utf8")).auth).toEqual({ enabled: false, ttl_minutes: 5 });
  });

  it("api kind: no credentials step (API Gateway checks the callers; there is no credentials parameter or KMS key output)", async () => {
    const cwd = tempProject();
    writeSecuredSpec(cwd);
    const res = await runCli(["init", "gw", "--yes", "--spec", "secured.yaml", "--kind", "api"], { cwd });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toContain("ssm put-parameter");
    expect(res.stdout).not.toContain("credentials_kms_key_arn");
    // What the client kind's hint points at is really absent from the api kind's module.
    const outputs = readFileSync(join(cwd, "gw", "output", "outputs.tf"), "utf8");
    expect(outputs).not.toContain("credentials_kms_key_arn");
  });

  it("api kind: typed handlers by default (--yes takes it), --language untyped keeps single-file stubs, a language the runtime cannot run is one error line", async () => {
    const cwd = tempProject();
    const typed = await runCli(["init", "py", "--yes", "--spec", ORDERS_SPEC, "--kind", "api"], { cwd });
    expect(typed.code, typed.stderr).toBe(0);
    expect(parseToml(readFileSync(join(cwd, "py", "picofun.toml"), "utf8")).api).toEqual({ language: "python" });
    expect(readFileSync(join(cwd, "py", "handlers", "getOrder.py"), "utf8")).toMatch(/^def handle\(request: GetOrderRequest\) -> GetOrderResult:$/m);
    expect(existsSync(join(cwd, "py", "output", "handlers_glue", "picofun_api", "models.py"))).toBe(true);
    const ts = await runCli(["init", "ts", "--yes", "--spec", ORDERS_SPEC, "--kind", "api", "--runtime", "nodejs22.x"], { cwd });
    expect(ts.code, ts.stderr).toBe(0);
    // esbuild is found (picofun's own, in this checkout): typed TypeScript, and the project asks for esbuild.
    expect(parseToml(readFileSync(join(cwd, "ts", "picofun.toml"), "utf8")).api).toEqual({ language: "typescript" });
    expect(JSON.parse(readFileSync(join(cwd, "ts", "package.json"), "utf8")).devDependencies.esbuild).toMatch(/^\^0\./);
    expect(existsSync(join(cwd, "ts", "handlers", "getOrder.ts"))).toBe(true);
    const untyped = await runCli(["init", "plain", "--yes", "--spec", ORDERS_SPEC, "--kind", "api", "--language", "untyped"], { cwd });
    expect(untyped.code, untyped.stderr).toBe(0);
    expect(parseToml(readFileSync(join(cwd, "plain", "picofun.toml"), "utf8")).api).toBeUndefined();
    expect(readFileSync(join(cwd, "plain", "handlers", "getOrder.py"), "utf8")).toMatch(/^def handler\(event: dict\[str, Any\], context: Any\)/m);
    const wrong = await runCli(["init", "bad", "--yes", "--spec", ORDERS_SPEC, "--kind", "api", "--language", "typescript"], { cwd });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('picofun: error: --language: with runtime "python3.13" use one of python, untyped\n');
    expect(existsSync(join(cwd, "bad"))).toBe(false);
  });

  it("resolves relative paths against the folder the command ran in", async () => {
    const cwd = tempProject();
    mkdirSync(join(cwd, "specs"));
    writeFileSync(join(cwd, "specs", "orders.yaml"), readFileSync(ORDERS_SPEC));
    const res = await runCli(["init", "nested/proj", "--yes", "--spec", "specs/orders.yaml", "--output-dir", "gen"], { cwd });
    expect(res.code).toBe(0);
    const toml = parseToml(readFileSync(join(cwd, "nested", "proj", "picofun.toml"), "utf8"));
    expect(toml.spec).toBe("../../specs/orders.yaml");
    expect(toml.output_dir).toBe("../../gen");
    expect(existsSync(join(cwd, "gen", "lambdas", "get_orders.py"))).toBe(true);
  });

  it("refuses a non-empty folder without --force, and with --force keeps the user's other files", async () => {
    const cwd = tempProject();
    mkdirSync(join(cwd, "taken"));
    writeFileSync(join(cwd, "taken", "notes.txt"), "mine");
    writeFileSync(join(cwd, "taken", "package.json"), JSON.stringify({ name: "taken", scripts: { test: "x" } }));
    const res = await runCli(["init", "taken", "--yes", "--spec", ORDERS_SPEC], { cwd });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe("picofun: error: taken is not empty; pass --force to overwrite picofun's files in it");
    expect(existsSync(join(cwd, "taken", "picofun.toml"))).toBe(false);
    const forced = await runCli(["init", "taken", "--yes", "--force", "--spec", ORDERS_SPEC], { cwd });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(cwd, "taken", "notes.txt"), "utf8")).toBe("mine");
    const pkg = JSON.parse(readFileSync(join(cwd, "taken", "package.json"), "utf8"));
    expect(pkg.scripts).toEqual({ test: "x", generate: "picofun generate" });
  });

  it("a project made from a checkout depends on it with file:, and npm install + npm run generate work offline", async () => {
    const cwd = tempProject();
    const made = await runCli(["init", "shop", "--yes", "--spec", ORDERS_SPEC], { cwd });
    expect(made.code, made.stderr).toBe(0);
    const project = join(cwd, "shop");
    const pkg = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
    expect(pkg.devDependencies.picofun).toBe(`file:${relative(project, REPO)}`);
    const install = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund"], { cwd: project, encoding: "utf8" });
    expect(install.status, install.stderr).toBe(0);
    const gen = spawnSync("npm", ["run", "generate"], { cwd: project, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(gen.status, gen.stderr).toBe(0);
    expect(gen.stdout).toMatch(/6 functions for Orders API/);
  });

  it("re-running init with all endpoints removes the allowlist an earlier run wrote", async () => {
    const cwd = tempProject();
    const first = await runCli(["init", "shop", "--yes", "--spec", ORDERS_SPEC, "--endpoints", "getOrder"], { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(join(cwd, "shop", "include-endpoints.yaml"))).toBe(true);
    const again = await runCli(["init", "shop", "--yes", "--force", "--spec", ORDERS_SPEC], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Removed include-endpoints.yaml: every endpoint is generated now");
    expect(existsSync(join(cwd, "shop", "include-endpoints.yaml"))).toBe(false);
    expect(readFileSync(join(cwd, "shop", "picofun.toml"), "utf8")).not.toContain("include_endpoints");
    const list = await runCli(["list", "endpoints", "--json"], { cwd: join(cwd, "shop") });
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as Array<{ included: boolean }>).every((e) => e.included)).toBe(true);
  });

  it("errors in one line naming the flag, and never turns a mistyped command into a folder", async () => {
    const cwd = tempProject();
    const missing = await runCli(["init", "demo", "--yes"], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("picofun: error: --spec is required with --yes (a path or http(s) URL of the OpenAPI document)\n");
    const bad = await runCli(["init", "demo", "--yes", "--spec", ORDERS_SPEC, "--endpoints", "getOrdr"], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^picofun: error: --endpoints: "getOrdr" matches no endpoint of the spec \(closest: getOrder/);
    const typo = await runCli(["init", "generat", "--yes", "--spec", ORDERS_SPEC], { cwd });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('looks like the command "picofun generate"');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("without a terminal and without --yes refuses at once (create-picofun too)", async () => {
    const cwd = tempProject();
    for (const args of [["init", "demo"], [CREATE_BIN, "demo"]]) {
      const started = Date.now();
      // The child is killed after 5 s: a hang would show as a null exit code.
      const res = args[0] === CREATE_BIN ? await runNode(args, cwd) : await runCli(args, { cwd, timeoutMs: 5000 });
      expect(res.code, `finished within 5 s (took ${Date.now() - started} ms)`).toBe(1);
      expect(res.stderr).toMatch(/^picofun: error: no terminal to ask questions on; run again with --yes/);
      expect(res.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    }
    expect(readdirSync(cwd)).toEqual([]);
  });
});

async function runNode(args: string[], cwd: string) {
  const { spawn } = await import("node:child_process");
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
    child.stdin.end();
  });
}
