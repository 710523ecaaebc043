import { dirname, join } from "node:path";
import type { Check, Needs } from "./types.js";
import { onPath, probe } from "./probe.js";

/** A project-local CDK CLI (what `npx --no-install cdk` would run) from these folders upwards. */
function localCdk(dirs: string[]): string | undefined {
  for (const start of dirs) {
    for (let dir = start; ; dir = dirname(dir)) {
      const bin = onPath("cdk", join(dir, "node_modules", ".bin"));
      if (bin) return bin;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

export async function cdkCheck(needs: Needs): Promise<Check> {
  const base = { name: "cdk", purpose: "synthesises and deploys the generated CDK app (npx cdk deploy)", needed: !!needs.configFile && needs.iac === "cdk" };
  const exe = localCdk(needs.dirs) ?? onPath("cdk");
  const run = exe ? await probe(exe, ["--version"], 30_000, { ...process.env, CDK_DISABLE_VERSION_CHECK: "1" }) : "missing";
  const fix = "`npm install` in the generated app (its package.json lists aws-cdk), or `npm install -g aws-cdk`";
  if (run === "missing" || run.code !== 0) return { ...base, state: "missing", detail: exe ? `${exe} does not run` : "no project-local or global cdk", fix };
  return { ...base, state: "ok", detail: `${run.stdout.trim().split(/\s/)[0]} (${exe})` };
}
