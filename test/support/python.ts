import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO, VENV_PYTHON } from "./env.js";

export interface InvokeOutcome {
  ok: boolean;
  result?: { statusCode: number; headers: Record<string, string>; body: unknown; [k: string]: unknown } & Record<string, unknown>;
  error_type?: string;
  mro?: string[];
  message?: string;
  status?: number;
  body?: unknown;
}

export function runPython(args: string[], input = "", env: Record<string, string> = {}, python = VENV_PYTHON, cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"], cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * Imports a generated handler from output/lambdas with output/layer (then `extraPaths`, e.g. a
 * bundle) on the path and calls it.
 */
export async function invokeHandler(
  outputDir: string,
  module: string,
  event: unknown,
  env: Record<string, string> = {},
  extraPaths: string[] = [],
): Promise<InvokeOutcome> {
  const request = { layer: join(outputDir, "layer"), lambdas: join(outputDir, "lambdas"), module, event, extra: extraPaths };
  const { code, stdout, stderr } = await runPython([join(REPO, "test", "support", "invoke.py")], JSON.stringify(request), env);
  if (code !== 0) throw new Error(`python exited ${code}: ${stderr}`);
  const last = stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as InvokeOutcome;
}
