import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE } from "./env.js";

/**
 * Reviewers' tools that live in venvs of their own (not the shared test venv), each with pinned
 * versions. A venv is made again only when its package list changes (a stamp file holds the list).
 */
export const TOOL_VENVS = {
  moto: { dir: join(CACHE, "moto-venv"), packages: ["moto[server]==5.2.6", "boto3==1.44.18"] },
  schemathesis: { dir: join(CACHE, "schemathesis-venv"), packages: ["schemathesis==4.32.5"] },
} as const;

export type VenvTool = keyof typeof TOOL_VENVS;

export function venvBin(tool: VenvTool, name: string): string {
  return join(TOOL_VENVS[tool].dir, "bin", name);
}

/** Makes each tool venv that is missing or stale; records a reason in `missing` for each one that cannot be made. */
export function ensureToolVenvs(missing: Record<string, string>): void {
  for (const [tool, { dir, packages }] of Object.entries(TOOL_VENVS)) {
    const stamp = join(dir, ".picofun-packages");
    const wanted = packages.join(" ");
    if (existsSync(join(dir, "bin", "python")) && existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) continue;
    const venv = spawnSync("python3", ["-m", "venv", "--clear", dir], { encoding: "utf8" });
    const pip =
      venv.status === 0
        ? spawnSync(join(dir, "bin", "python"), ["-m", "pip", "install", "--quiet", "--retries", "1", ...packages], { encoding: "utf8" })
        : venv;
    if (pip.status !== 0) missing[tool] = `cannot make a venv with ${wanted}: ${(pip.stderr || "").trim().split("\n").pop()}`;
    else writeFileSync(stamp, wanted);
  }
}
