import { join } from "node:path";
import { REPO } from "./env.js";
import { runPython, type InvokeOutcome } from "./python.js";

/** Calls generated handlers one after the other in a single Python process (a warm Lambda). */
export async function invokeMany(
  outputDir: string,
  calls: Array<{ module: string; event?: unknown }>,
  env: Record<string, string> = {},
): Promise<{ outcomes: InvokeOutcome[]; stdout: string; stderr: string }> {
  const request = { layer: join(outputDir, "layer"), lambdas: join(outputDir, "lambdas"), calls };
  const { code, stdout, stderr } = await runPython([join(REPO, "test", "support", "invoke_many.py")], JSON.stringify(request), env);
  if (code !== 0) throw new Error(`python exited ${code}: ${stderr}`);
  const last = stdout.trim().split("\n").pop() ?? "";
  return { outcomes: JSON.parse(last) as InvokeOutcome[], stdout, stderr };
}
