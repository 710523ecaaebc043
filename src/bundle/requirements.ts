import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Architecture } from "../config/types.js";
import { cacheRoot } from "../util/cacheDir.js";
import { UserError } from "../util/errors.js";
import { runPython3 } from "./python3.js";
import { pyprojectRequirements } from "./pyproject.js";

/** Bump when the way the cache is filled changes, so old entries are not reused. */
const CACHE_FORMAT = "1";

export interface Target {
  platform: string;
  pythonVersion: string;
  implementation: "cp";
}

/** The wheel platform and Python version Lambda runs, from `architecture` and `runtime`. */
export function lambdaTarget(architecture: Architecture, runtime: string): Target {
  const m = /^python(\d+\.\d+)$/.exec(runtime);
  if (!m) throw new UserError(`runtime "${runtime}" is not a Python runtime: cannot install a bundle's requirements.txt for it`);
  return {
    platform: architecture === "x86_64" ? "manylinux2014_x86_64" : "manylinux2014_aarch64",
    pythonVersion: m[1],
    implementation: "cp",
  };
}

export function cacheKey(requirements: Buffer, target: Target): string {
  return createHash("sha256")
    .update(`picofun-requirements/${CACHE_FORMAT}\0${target.platform}\0${target.implementation}\0${target.pythonVersion}\0`)
    .update(requirements)
    .digest("hex")
    .slice(0, 32);
}

/**
 * Installs `<bundle>/requirements.txt` for the Lambda platform (never the machine's) into a
 * cache folder keyed by the file's content and the target, and returns that folder; undefined
 * when the bundle has no requirements.txt.
 */
export async function installRequirements(bundle: string, target: Target): Promise<string | undefined> {
  let file = join(bundle, "requirements.txt");
  let requirements: Buffer;
  if (existsSync(file)) requirements = readFileSync(file);
  else {
    // A bundle made for the Python PicoFun: its pyproject.toml's [project] dependencies, installed the same way.
    const fromPyproject = pyprojectRequirements(bundle);
    if (fromPyproject === undefined) return undefined;
    file = join(bundle, "pyproject.toml");
    requirements = Buffer.from(fromPyproject);
  }
  const root = join(cacheRoot(), "requirements");
  const dir = join(root, cacheKey(requirements, target));
  const done = `${dir}.done`;
  if (existsSync(done) && existsSync(dir)) return dir;

  const pip = await runPython3(["-m", "pip", "--version"]);
  if (pip === "missing") throw new UserError(`python3 not found: it is needed (with pip) to install ${file}`);
  if (pip.code !== 0) throw new UserError(`pip is not available (python3 -m pip failed): install pip to use ${file}`);

  await mkdir(root, { recursive: true });
  const work = `${dir}.tmp-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  const list = `${work}.requirements.txt`;
  await writeFile(list, requirements);
  const res = await runPython3(
    [
      "-m", "pip", "install",
      "--target", work,
      "--platform", target.platform,
      "--implementation", target.implementation,
      "--python-version", target.pythonVersion,
      "--only-binary=:all:",
      "--no-compile",
      "--disable-pip-version-check",
      "--no-input",
      "--quiet",
      "-r", list,
    ],
    { cwd: bundle },
  );
  await rm(list, { force: true });
  if (res === "missing") throw new UserError(`python3 not found: it is needed (with pip) to install ${file}`);
  if (res.code !== 0) {
    await rm(work, { recursive: true, force: true });
    throw new UserError(pipFailure(res.stderr, file, target));
  }
  await normalise(work);
  await rm(dir, { recursive: true, force: true });
  await rename(work, dir);
  await writeFile(done, "");
  return dir;
}

/** A one-line explanation of a failed pip run that names the package when pip does. */
export function pipFailure(stderr: string, file: string, target: Target): string {
  const where = `${target.platform}, CPython ${target.pythonVersion}`;
  const noDist = /No matching distribution found for ([^\s]+)/.exec(stderr);
  if (noDist) {
    return `${file}: no wheel of "${noDist[1]}" for the Lambda platform (${where}); pin a version that publishes one, or drop the package`;
  }
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !/^WARNING:/.test(l));
  const error = lines.find((l) => l.startsWith("ERROR:")) ?? lines[lines.length - 1] ?? "pip failed";
  return `${file}: pip could not install the requirements for ${where}: ${error.replace(/^ERROR:\s*/, "")}`;
}

/**
 * Removes what would make the layer differ between machines or runs: compiled bytecode,
 * console scripts (their first line names the local interpreter) and direct_url.json (an
 * absolute path), and drops their lines from the RECORD files.
 */
async function normalise(dir: string): Promise<void> {
  await rm(join(dir, "bin"), { recursive: true, force: true });
  const dropped = (line: string) => {
    const path = line.split(",")[0];
    return path.startsWith("../") || path.startsWith("bin/") || path.includes("__pycache__/") || path.endsWith(".pyc") || path.endsWith("/direct_url.json");
  };
  const walk = async (current: string): Promise<void> => {
    for (const e of await readdir(current, { withFileTypes: true })) {
      const full = join(current, e.name);
      if (e.isDirectory()) {
        if (e.name === "__pycache__") await rm(full, { recursive: true, force: true });
        else await walk(full);
      } else if (e.name.endsWith(".pyc") || e.name === "direct_url.json") {
        await rm(full, { force: true });
      } else if (e.name === "RECORD" && current.endsWith(".dist-info")) {
        const lines = (await readFile(full, "utf8")).split(/\r?\n/).filter(Boolean);
        const kept = lines.filter((l) => !dropped(l));
        if (kept.length !== lines.length) await writeFile(full, `${kept.join("\n")}\n`);
      }
    }
  };
  await walk(dir);
}
