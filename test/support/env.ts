import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CACHE = join(REPO, ".cache");
export const VENV = join(CACHE, "venv");
export const VENV_PYTHON = join(VENV, "bin", "python");
export const REQUIRE_E2E = process.env.PICOFUN_REQUIRE_E2E === "1";

export const TOOLS_FILE = join(CACHE, "tools.json");
export type Tool = "python" | "terraform" | "prism" | "review";

let missing: Partial<Record<Tool, string>> | undefined;

/** Why a real tool is not usable here, or undefined when it is. Written by the global setup. */
export function missingTool(tool: Tool): string | undefined {
  missing ??= existsSync(TOOLS_FILE) ? (JSON.parse(readFileSync(TOOLS_FILE, "utf8")) as Partial<Record<Tool, string>>) : {};
  return missing[tool];
}

export function venvReady(): boolean {
  return existsSync(VENV_PYTHON) && !missingTool("python");
}
