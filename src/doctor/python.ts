import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Check, Needs } from "./types.js";
import { onPath, probe } from "./probe.js";

/** The Python versions Lambda runs (python3.10 ... python3.14), newest first. */
export const LAMBDA_PYTHONS = ["3.14", "3.13", "3.12", "3.11", "3.10"];
/** The oldest Python the generated handlers and picorun run on (Lambda's oldest). */
const OLDEST = [3, 10];

/** "3.12.1" from `Python 3.12.1`, or undefined. */
function versionOf(text: string): string | undefined {
  return /Python (\d+\.\d+\.\d+\S*)/.exec(text)?.[1];
}

/** pyenv's installed versions of 3.X (its versions/ folder; `pyenv` itself need not be on PATH). */
function pyenvVersions(minor: string): string[] {
  const root = process.env.PYENV_ROOT || join(homedir(), ".pyenv");
  const dir = join(root, "versions");
  if (!existsSync(dir)) return [];
  const pattern = new RegExp(`^${minor.replace(".", "\\.")}\\.\\d+$`);
  return readdirSync(dir)
    .filter((v) => pattern.test(v) && existsSync(join(dir, v, "bin", `python${minor}`)))
    .sort((a, b) => Number(b.split(".")[2]) - Number(a.split(".")[2]));
}

/** The project's runtime version ("3.13" from python3.13), if it is a Python one. */
export function projectPython(needs: Needs): string | undefined {
  return /^python(\d+\.\d+)$/.exec(needs.runtime ?? "")?.[1];
}

async function lambdaPython(minor: string, needs: Needs): Promise<Check> {
  const own = projectPython(needs) === minor;
  const purpose = own
    ? `the project's runtime (python${minor}): the closest local match for serve and invoke`
    : `Lambda runtime python${minor}`;
  const base = { name: `python${minor}`, purpose, needed: false };
  const exe = onPath(`python${minor}`);
  const run = exe ? await probe(exe, ["--version"]) : "missing";
  const version = run !== "missing" && run.code === 0 ? versionOf(run.stdout + run.stderr) : undefined;
  if (version) return { ...base, state: "ok", detail: `${version} (${exe})` };
  const pyenv = pyenvVersions(minor);
  if (pyenv.length) {
    return { ...base, state: "ok", detail: `${pyenv.join(", ")} (pyenv; \`pyenv shell ${pyenv[0]}\` puts python${minor} on PATH)` };
  }
  return { ...base, state: "missing", detail: "not found", fix: `install Python ${minor} (\`pyenv install ${minor}\`, or your system's python${minor} package)` };
}

/** The python3 picofun runs (PICOFUN_PYTHON, else python3 on PATH): serve, invoke, hook checks, pip. */
export async function python3Check(needs: Needs): Promise<Check> {
  const command = process.env.PICOFUN_PYTHON || "python3";
  const uses = ["serve and invoke run handlers with it"];
  if (needs.hooks) uses.push("generate checks the pre/postprocessor with it");
  if (needs.requirements) uses.push("pip runs in it");
  const base = {
    name: process.env.PICOFUN_PYTHON ? "python3 (PICOFUN_PYTHON)" : "python3",
    purpose: uses.join("; "),
    needed: !!needs.configFile && !!projectPython(needs),
  };
  const exe = command.includes("/") ? command : onPath(command);
  const run = exe ? await probe(exe, ["--version"]) : "missing";
  const version = run !== "missing" && run.code === 0 ? versionOf(run.stdout + run.stderr) : undefined;
  const fix = "install Python 3.10 or newer as python3 (or point PICOFUN_PYTHON at one)";
  if (!version) return { ...base, state: "missing", detail: exe ? `${exe} does not run` : "not on PATH", fix };
  const [major, minor] = version.split(".").map(Number);
  if (major < OLDEST[0] || (major === OLDEST[0] && minor < OLDEST[1])) {
    return { ...base, state: "missing", detail: `${version} (${exe}) is older than Lambda's oldest Python, 3.10`, fix };
  }
  return { ...base, state: "ok", detail: `${version} (${exe})` };
}

/** One check per Lambda Python version, the project's own first. */
export async function lambdaPythonChecks(needs: Needs): Promise<Check[]> {
  const own = projectPython(needs);
  const order = own && LAMBDA_PYTHONS.includes(own) ? [own, ...LAMBDA_PYTHONS.filter((v) => v !== own)] : LAMBDA_PYTHONS;
  return Promise.all(order.map((v) => lambdaPython(v, needs)));
}
