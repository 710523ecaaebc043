import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface Probe {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The file `command` runs from PATH (like `command -v`), or undefined. */
export function onPath(command: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, command);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs a tool with a time limit; "missing" when it cannot be started. Never throws. */
export function probe(file: string, args: string[], timeoutMs = 10_000, env: NodeJS.ProcessEnv = process.env): Promise<Probe | "missing"> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, env, maxBuffer: 4 * 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      if (code === "ENOENT" || code === "EACCES") return resolve("missing");
      const exit = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : null) : 0;
      resolve({ code: exit, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
