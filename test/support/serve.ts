import { spawn, type ChildProcess } from "node:child_process";
import { BIN, TEST_CACHE } from "./cli.js";
import { freePort } from "./prism.js";

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  log: () => string;
  /** Waits until the log matches (new output since `from`). */
  waitFor: (re: RegExp, from?: number, timeoutMs?: number) => Promise<void>;
  stop: () => Promise<number | null>;
}

/** Runs the real `picofun serve` in `dir` on a free port and waits for its start line. */
export async function startServeCli(dir: string, args: string[] = [], env: Record<string, string> = {}, startTimeoutMs = 30_000): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, "serve", "--port", String(port), ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: TEST_CACHE, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const waitFor = async (re: RegExp, from = 0, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!re.test(output.slice(from))) {
      if (child.exitCode !== null) throw new Error(`picofun serve exited ${child.exitCode}: ${output}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await waitFor(/picofun serve: http/, 0, startTimeoutMs);
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    log: () => output,
    waitFor,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("close", (code) => resolve(code));
        child.kill("SIGINT");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
