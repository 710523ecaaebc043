import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureCdkModules } from "../support/cdk.js";
import { setupReviewTools } from "../support/review.js";
import { CACHE, REPO, TOOLS_FILE, VENV, VENV_PYTHON, type Tool } from "../support/env.js";

const PY_PACKAGES = ["ruff", "boto3", "pytest", "mypy", "hypothesis"];

function has(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
}

/** Makes the Python venv once (cached in .cache/venv) and records which real tools are missing. */
export default function setup(): void {
  mkdirSync(CACHE, { recursive: true });
  const missing: Partial<Record<Tool, string>> = {};
  if (!existsSync(join(REPO, "dist", "bundle", "main.js"))) {
    execFileSync("npm", ["run", "build"], { cwd: REPO, stdio: "inherit" });
  }
  if (!has("python3", ["--version"])) {
    missing.python = "python3 is not installed";
  } else {
    const stamp = join(VENV, ".picofun-packages");
    const wanted = PY_PACKAGES.join(" ");
    if (!existsSync(VENV_PYTHON) || !existsSync(stamp) || readFileSync(stamp, "utf8") !== wanted) {
      const venv = spawnSync("python3", ["-m", "venv", "--clear", VENV], { encoding: "utf8" });
      const pip =
        venv.status === 0
          ? spawnSync(VENV_PYTHON, ["-m", "pip", "install", "--quiet", "--retries", "1", ...PY_PACKAGES], { encoding: "utf8" })
          : venv;
      if (pip.status !== 0) {
        missing.python = `cannot make a venv with ${wanted}: ${(pip.stderr || "").trim().split("\n").pop()}`;
      } else {
        writeFileSync(stamp, wanted);
      }
    }
  }
  setupReviewTools(missing);
  if (!has("terraform", ["version"])) missing.terraform = "terraform is not installed";
  else if (!existsSync("/opt/tf-plugins") && !process.env.PICOFUN_TF_PLUGINS) {
    missing.terraform = "no local provider mirror (/opt/tf-plugins or PICOFUN_TF_PLUGINS)";
  }
  try {
    // The packages of generated CDK apps: installed once per set of versions, linked into each app.
    ensureCdkModules();
  } catch (err) {
    console.warn(`[setup] ${(err as Error).message}`);
  }
  if (!existsSync(join(REPO, "node_modules", ".bin", "prism"))) {
    missing.prism = "@stoplight/prism-cli is not installed (npm install)";
  }
  // What describeWithTools reads: a missing tool skips its tests with this reason (fails in CI).
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(TOOLS_FILE, `${JSON.stringify(missing)}\n`);
}
