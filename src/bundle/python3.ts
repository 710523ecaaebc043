import { spawn } from "node:child_process";

export interface PythonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The interpreter picofun runs at generation time (pip, hook checks). */
export const PYTHON = "python3";

/**
 * Runs `python3 args...`; resolves to "missing" when python3 is not on PATH, so callers can
 * decide between a warning and an error.
 */
export function runPython3(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<PythonRun | "missing"> {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(PYTHON, args, {
        cwd: options.cwd,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONNOUSERSITE: "1", ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return resolve("missing");
      return reject(err);
    }
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? resolve("missing") : reject(err)));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
