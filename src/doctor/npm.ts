import type { Check, Needs } from "./types.js";
import { onPath, probe } from "./probe.js";

/** npm, which installs typed TypeScript handlers' dependencies (handlers/package.json) for Lambda at generation. */
export async function npmCheck(needs: Needs): Promise<Check> {
  const purpose = needs.packageJson ? `installs ${needs.packageJson} for Lambda at generation` : "installs typed TypeScript handlers' package.json for Lambda at generation";
  const base = { name: "npm", purpose, needed: !!needs.packageJson };
  const exe = onPath(process.platform === "win32" ? "npm.cmd" : "npm");
  const run = exe ? await probe(exe, ["--version"], 30_000, { ...process.env, npm_config_update_notifier: "false" }) : "missing";
  const fix = "install npm (it comes with Node.js: https://nodejs.org)";
  if (run === "missing" || run.code !== 0) return { ...base, state: "missing", detail: exe ? `${exe} does not run` : "not on PATH", fix };
  return { ...base, state: "ok", detail: `${run.stdout.trim()} (${exe})` };
}
