#!/usr/bin/env node
// Optional bench section: `terraform apply` of GitHub's client module (1,223 functions) against
// moto's server mode on 127.0.0.1, timed with peak RSS, next to `terraform plan` of the same
// module (offline, -refresh=false) and `terraform destroy`. Slow (many minutes): run on its own
// (`node bench/apply.mjs`) or from `npm run bench` with BENCH_APPLY=1. Needs terraform, the
// provider mirror and .cache/moto-venv (made by the test setup). The public Powertools layer is
// off: moto has no layers of other accounts (see test/e2e/deploy-rehearsal.test.ts).
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(repo, "bin", "picofun.js");
const motoServer = join(repo, ".cache", "moto-venv", "bin", "moto_server");
const mirror = process.env.PICOFUN_TF_PLUGINS ?? "/opt/tf-plugins";
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const SERVICES = ["apigateway", "cloudwatchlogs", "ec2", "iam", "kms", "lambda", "secretsmanager", "sfn", "ssm", "sts"];

if (spawnSync("terraform", ["version"]).status !== 0 || !existsSync(mirror) || !existsSync(motoServer)) {
  console.log("skip terraform apply against moto: terraform, the provider mirror or .cache/moto-venv is missing");
  process.exit(0);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const work = mkdtempSync(join(tmpdir(), "picofun-bench-apply-"));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const moto = spawn(motoServer, ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore", env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" } });
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 240) throw new Error("moto_server did not start");
    await new Promise((r) => setTimeout(r, 250));
  }
  cpSync(join(repo, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json"), join(work, "github.json"));
  const gen = spawnSync(process.execPath, [bin, "github", "github.json"], { cwd: work, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: join(work, "cache") } });
  if (gen.status !== 0) throw new Error(`generate failed: ${gen.stderr}`);
  const root = join(work, "root");
  mkdirSync(root);
  const provider = [
    'provider "aws" {',
    '  region                      = "eu-west-1"',
    '  access_key                  = "AKIAIOSFODNN7EXAMPLE"',
    '  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    "  skip_credentials_validation = true",
    "  skip_requesting_account_id  = true",
    "  skip_metadata_api_check     = true",
    "  skip_region_validation      = true",
    "  endpoints {",
    ...SERVICES.map((s) => `    ${s} = "${url}"`),
    "  }",
    "}",
  ];
  writeFileSync(join(root, "main.tf"), [...provider, 'module "github" {', '  source                   = "../output"', "  include_powertools_layer = false", "}", ""].join("\n"));
  const rc = join(work, "terraformrc");
  writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`);
  const env = { ...process.env, TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_INPUT: "0" };
  const timed = (args, okCodes = [0]) => {
    const start = process.hrtime.bigint();
    const res = gnuTime
      ? spawnSync(gnuTime, ["-f", "__RSS__%M", "terraform", ...args, "-no-color"], { cwd: root, env, encoding: "utf8", maxBuffer: 1 << 30 })
      : spawnSync("terraform", [...args, "-no-color"], { cwd: root, env, encoding: "utf8", maxBuffer: 1 << 30 });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    if (!okCodes.includes(res.status)) throw new Error(`terraform ${args[0]} failed: ${(res.stderr || res.stdout).slice(-3000)}`);
    const rss = /__RSS__(\d+)/.exec(res.stderr ?? "");
    return { wall, mb: rss ? Number(rss[1]) / 1024 : undefined, out: res.stdout };
  };
  const show = (name, r, extra = "") => console.log(`     ${name}: ${r.wall.toFixed(1)} s, peak RSS ${r.mb ? `${r.mb.toFixed(0)} MB` : "n/a"}${extra}`);
  timed(["init", "-input=false", "-backend=false"]);
  const plan = timed(["plan", "-refresh=false", "-input=false", "-lock=false"]);
  const count = /Plan: (\d+) to add/.exec(plan.out)?.[1] ?? "?";
  show("terraform plan of GitHub's module (-refresh=false)", plan, ` (${count} resources)`);
  const apply = timed(["apply", "-auto-approve", "-input=false"]);
  show("terraform apply of it against moto", apply);
  // Exit 2: changes. With one shared log group (the default from 200 functions) every function plans
  // its logging_config again: moto does not keep Lambda's LoggingConfig (a moto gap, not a diff on AWS).
  const again = timed(["plan", "-detailed-exitcode", "-input=false"], [0, 2]);
  const changed = /Plan: \d+ to add, (\d+) to change/.exec(again.out)?.[1] ?? "0";
  show("terraform plan after the apply (with refresh)", again, ` (${changed} to change)`);
  const destroy = timed(["destroy", "-auto-approve", "-input=false"]);
  show("terraform destroy against moto", destroy);
} finally {
  moto.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
