/**
 * `picofun doctor`, run as the real binary with PATH and terraform's CLI config chosen per case:
 * terraform is missing when PATH leaves out /usr/local/bin, where it lives here. --offline keeps
 * the network out of the exit codes (pip download and registry.terraform.io are not tried).
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CACHE, REQUIRE_E2E } from "../support/env.js";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { terraformEnv } from "../support/terraform.js";
import { onPath } from "../../src/doctor/probe.js";

const TERRAFORM = onPath("terraform");
/** PATH with python3 and node but without terraform (and without pyenv's shims). */
const NO_TERRAFORM = ["/usr/bin", "/bin"].filter((d) => existsSync(d) && !existsSync(join(d, "terraform"))).join(":");
const WITH_TERRAFORM = TERRAFORM ? `${join(TERRAFORM, "..")}:${NO_TERRAFORM}` : NO_TERRAFORM;

/** A project like examples/orders (client kind, Terraform, python3.13) with the given extra keys. */
function project(extra = ""): string {
  const dir = tempProject();
  writeFileSync(join(dir, "picofun.toml"), `namespace = "orders"\nspec = "openapi.yaml"\n${extra}`);
  return dir;
}

function line(stdout: string, name: string): string {
  return stdout.split("\n").find((l) => new RegExp(`^\\w+ +${name.replace(/[.()]/g, "\\$&")} `).test(l)) ?? "";
}

describeWithTools("picofun doctor against a project's picofun.toml", ["terraform", "python"], () => {
  it("exits 1 when the project needs terraform and PATH has none, naming it, what it is for and where to get it", async () => {
    const cwd = project();
    const res = await runCli(["doctor", "--offline"], { cwd, env: { PATH: NO_TERRAFORM, ...terraformEnv() } });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(1);
    expect(res.stdout.split("\n")[0]).toBe(`Checking what ${join(cwd, "picofun.toml")} needs (client, terraform, python3.13).`);
    expect(line(res.stdout, "terraform")).toMatch(
      /^missing +terraform +not on PATH - deploys the generated Terraform module .*\[needed by picofun.toml\]; to get it: https:\/\/developer\.hashicorp\.com\/terraform\/install$/,
    );
    expect(line(res.stdout, "python3")).toMatch(/^ok +python3 +3\.\d+\.\d+ \(\/usr\/bin\/python3\) - .*\[needed by picofun.toml\]$/);
    expect(res.stdout.trimEnd().split("\n").pop()).toBe("Missing what picofun.toml needs: terraform.");
  });

  it("exits 0 when everything the project needs is there: terraform, and hashicorp/aws in the CLI config's mirror", async () => {
    const cwd = project();
    const res = await runCli(["doctor", "--offline"], { cwd, env: { PATH: WITH_TERRAFORM, ...terraformEnv() } });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(line(res.stdout, "terraform")).toMatch(/^ok +terraform +\d+\.\d+\.\d+ \(/);
    expect(line(res.stdout, "aws provider")).toMatch(/^ok +aws provider +5\.\d+\.\d+\S* in \S+ \(filesystem mirror\) - /);
    expect(line(res.stdout, "node")).toMatch(/^ok +node +\d+\.\d+\.\d+ /);
    // The project's runtime comes first among the Lambda Pythons; not having it is not a failure.
    const pythons = res.stdout.split("\n").filter((l) => / python3\.1\d /.test(l));
    expect(pythons.map((l) => l.split(/ +/)[1])).toEqual(["python3.13", "python3.14", "python3.12", "python3.11", "python3.10"]);
    expect(line(res.stdout, "pip download")).toMatch(/^skipped +pip download +not tried \(--offline\)/);
    expect(res.stdout.trimEnd().split("\n").pop()).toBe("Everything picofun.toml needs is here.");
  });

  it("a mirror holding only a provider older than 5.100 does not count; offline it is not known, so not a failure", async () => {
    const cwd = project();
    const mirror = join(cwd, "mirror");
    mkdirSync(join(mirror, "registry.terraform.io", "hashicorp", "aws", "4.67.0", `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`), { recursive: true });
    const rc = join(cwd, "terraformrc");
    writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`);
    // HOME and XDG folders of its own: no implied local mirror of this machine is seen.
    const env = { PATH: WITH_TERRAFORM, TF_CLI_CONFIG_FILE: rc, HOME: cwd, XDG_DATA_HOME: join(cwd, "data"), XDG_DATA_DIRS: join(cwd, "shared") };
    const res = await runCli(["doctor", "--offline"], { cwd, env });
    expect(res.code).toBe(0);
    expect(line(res.stdout, "aws provider")).toMatch(/^skipped +aws provider +no local mirror; found only 4\.67\.0; terraform init would download it/);
  });

  it("a python runtime project with python3 absent exits 1; the api kind on Node needs no python3", async () => {
    const empty = tempProject();
    const client = project();
    const env = { PATH: `${empty}:${WITH_TERRAFORM.split(":")[0]}`, ...terraformEnv(), HOME: empty };
    const res = await runCli(["doctor", "--offline"], { cwd: client, env });
    expect(res.code).toBe(1);
    expect(line(res.stdout, "python3")).toMatch(/^missing +python3 +not on PATH - .*\[needed by picofun.toml\]; to get it: /);
    const api = project('kind = "api"\nruntime = "nodejs22.x"\n');
    const apiRes = await runCli(["doctor", "--offline"], { cwd: api, env });
    expect(apiRes.stdout).toContain("(api, terraform, nodejs22.x)");
    expect(line(apiRes.stdout, "python3")).toMatch(/^missing +python3 +not on PATH - [^[]*$/);
    expect(line(apiRes.stdout, "node")).toContain("runs picofun, and the nodejs22.x handlers in serve and invoke");
    expect(apiRes.code).toBe(0);
  });

  it("a bundle with requirements.txt needs pip; a CDK project needs the CDK CLI, not terraform", async () => {
    const cwd = project('bundle = "src"\niac = "cdk"\n');
    mkdirSync(join(cwd, "src"));
    writeFileSync(join(cwd, "src", "requirements.txt"), "six\n");
    const res = await runCli(["doctor", "--offline"], { cwd, env: { PATH: NO_TERRAFORM } });
    expect(res.stdout).toContain("(client, cdk, python3.13, requirements src/requirements.txt)");
    expect(line(res.stdout, "pip")).toMatch(/^ok +pip +pip \d+.* - installs src\/requirements.txt for Lambda at generation \[needed by picofun.toml\]$/);
    expect(line(res.stdout, "terraform")).not.toContain("[needed");
    expect(line(res.stdout, "cdk")).toMatch(/^missing +cdk +no project-local or global cdk - .*\[needed by picofun.toml\]/);
    expect(res.stdout.trimEnd().split("\n").pop()).toBe("Missing what picofun.toml needs: cdk.");
    expect(res.code).toBe(1);
  });

  it("typed TypeScript handlers whose package.json has dependencies need npm; typed Python handlers' requirements.txt needs pip", async () => {
    const empty = join(tempProject(), "bin");
    mkdirSync(empty);
    symlinkSync(process.execPath, join(empty, "node"));
    const ts = project('kind = "api"\nruntime = "nodejs22.x"\niac = "cdk"\n[api]\nlanguage = "typescript"\n');
    mkdirSync(join(ts, "handlers"));
    writeFileSync(join(ts, "handlers", "package.json"), JSON.stringify({ dependencies: { nanoid: "^5.0.0" } }));
    const noNpm = await runCli(["doctor", "--offline"], { cwd: ts, env: { PATH: empty } });
    expect(noNpm.stdout).toContain("(api, cdk, nodejs22.x, dependencies handlers/package.json)");
    expect(line(noNpm.stdout, "npm")).toMatch(/^missing +npm +not on PATH - installs handlers\/package.json for Lambda at generation \[needed by picofun.toml\]; to get it: /);
    expect(noNpm.code).toBe(1);
    const withNpm = await runCli(["doctor", "--offline"], { cwd: ts, env: { PATH: NO_TERRAFORM } });
    expect(line(withNpm.stdout, "npm")).toMatch(/^ok +npm +\d+\.\d+\.\d+ .*\[needed by picofun.toml\]$/);
    // Only devDependencies: nothing is installed for Lambda, npm is not needed.
    writeFileSync(join(ts, "handlers", "package.json"), JSON.stringify({ devDependencies: { vitest: "^3.0.0" } }));
    expect(line((await runCli(["doctor", "--offline"], { cwd: ts, env: { PATH: empty } })).stdout, "npm")).not.toContain("[needed");
    const py = project('kind = "api"\n[api]\nlanguage = "python"\n');
    mkdirSync(join(py, "handlers"));
    writeFileSync(join(py, "handlers", "requirements.txt"), "shortuuid\n");
    const res = await runCli(["doctor", "--offline"], { cwd: py, env: { PATH: NO_TERRAFORM } });
    expect(line(res.stdout, "pip")).toMatch(/installs handlers\/requirements.txt for Lambda at generation \[needed by picofun.toml\]$/);
  });

  // Only the index at the loopback address: this machine's pip config (mirrors, find-links) is left out.
  it("pip that cannot reach its index fails the check a bundle with requirements needs (a loopback index that hangs up)", async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const cwd = project('bundle = "src"\n');
      mkdirSync(join(cwd, "src"));
      writeFileSync(join(cwd, "src", "requirements.txt"), "six\n");
      const env = { PATH: WITH_TERRAFORM, ...terraformEnv(), PIP_INDEX_URL: `http://127.0.0.1:${port}/simple`, PIP_CONFIG_FILE: "/dev/null", PIP_FIND_LINKS: "", PIP_EXTRA_INDEX_URL: "" };
      const res = await runCli(["doctor"], { cwd, env, timeoutMs: 120_000 });
      expect(line(res.stdout, "pip download")).toMatch(/^missing +pip download +could not download six: .* - .*\[needed by picofun.toml\]; to get it: check the network/);
      expect(res.stdout.trimEnd().split("\n").pop()).toBe("Missing what picofun.toml needs: pip download.");
      expect(res.code).toBe(1);
    } finally {
      server.close();
    }
  }, 120_000);

  const cdkApps = existsSync(join(CACHE, "cdk")) ? readdirSync(join(CACHE, "cdk")).map((d) => join(CACHE, "cdk", d, "node_modules")) : [];
  const cdkModules = cdkApps.find((d) => existsSync(join(d, ".bin", "cdk")));
  it.skipIf(!cdkModules && !REQUIRE_E2E)("finds the CDK CLI installed in the project (what npx --no-install cdk runs) and exits 0", async () => {
    expect(cdkModules, "the CDK packages the global setup installs into .cache/cdk").toBeTruthy();
    const cwd = project('iac = "cdk"\n');
    symlinkSync(cdkModules as string, join(cwd, "node_modules"));
    const res = await runCli(["doctor", "--offline"], { cwd, env: { PATH: NO_TERRAFORM }, timeoutMs: 120_000 });
    expect(line(res.stdout, "cdk")).toMatch(/^ok +cdk +2\.\d+\.\d+ \(.*node_modules\/\.bin\/cdk\) - /);
    expect(res.code).toBe(0);
  }, 120_000);
});

describe("picofun doctor without a project", () => {
  it("reports what is missing but exits 0: nothing is required while Node runs", async () => {
    const cwd = tempProject();
    const res = await runCli(["doctor", "--offline"], { cwd, env: { PATH: NO_TERRAFORM } });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout.split("\n")[0]).toBe("No picofun.toml here: nothing is required, each line says what uses it.");
    expect(line(res.stdout, "terraform")).toMatch(/^missing +terraform +not on PATH - [^[]*; to get it: /);
    expect(res.stdout).not.toContain("[needed by");
  });

  it("a --config that does not exist is one error line and exit 1", async () => {
    const cwd = tempProject();
    const res = await runCli(["doctor", "--offline", "--config", "nope.toml"], { cwd });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`picofun: error: config file not found: ${join(cwd, "nope.toml")}\n`);
    expect(res.stdout).toBe("");
  });

  it("is listed in --help and in the completion scripts", async () => {
    const help = await runCli(["--help"]);
    expect(help.stdout).toMatch(/^ {2}doctor \[options\] +check this machine/m);
    for (const shell of ["bash", "zsh", "fish"]) {
      const res = await runCli(["completion", shell]);
      expect(res.stdout, shell).toMatch(/\bdoctor\b/);
      expect(res.stdout, shell).toMatch(/(--|-l )offline\b/);
    }
  });
});
