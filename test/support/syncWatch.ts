import { spawn } from "node:child_process";
import { BIN, TEST_CACHE } from "./cli.js";

/** Runs `picofun sync --watch` and lets the test act on each completed generation. */
export function watchRun(dir: string): { waitFor: (re: RegExp, count: number, timeoutMs?: number) => Promise<string>; stop: () => Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [BIN, "sync", "--watch", "--debounce", "100"], { cwd: dir, env: { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: TEST_CACHE } });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return {
    output: () => out,
    waitFor: (re, count, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const check = setInterval(() => {
          if ((out.match(new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`)) ?? []).length >= count) {
            clearInterval(check);
            resolve(out);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearInterval(check);
            reject(new Error(`sync exited early: ${out}`));
          } else if (Date.now() - started > timeoutMs) {
            clearInterval(check);
            reject(new Error(`no ${count} x ${re} within ${timeoutMs} ms; output:\n${out}`));
          }
        }, 50);
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(killer);
          resolve(child.exitCode);
          return;
        }
        child.on("close", (code) => {
          clearTimeout(killer);
          resolve(code);
        });
        child.kill("SIGTERM");
      }),
  };
}
