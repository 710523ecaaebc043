import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, runCli, type CliResult } from "../support/cli.js";
import { oneErrorLine } from "../support/oneErrorLine.js";
import { REQUIRE_E2E } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

const ARGS = ["orders", ORDERS_SPEC, "--server-url", "https://api.example.com"];
const isRoot = process.getuid?.() === 0;

/** Mounting a tmpfs and chattr +i need root: elsewhere these are skipped, or failed under PICOFUN_REQUIRE_E2E=1. */
function needsRoot(): boolean {
  if (isRoot) return true;
  if (REQUIRE_E2E) throw new Error("this test mounts a tmpfs (needs root): run the suite as root");
  console.warn("[skip] needs root to mount a tmpfs / set chattr +i");
  return false;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
}

function tmpfs(options: string): string {
  const dir = mkdtempSync(join(tempProject(), "mnt-"));
  sh("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  cleanups.push(() => sh("umount", ["-l", dir]));
  return dir;
}

describe("file-system errors while writing: one line naming the path and the fix", () => {
  it("EACCES: an output folder the user may not write", async () => {
    const dir = tempProject();
    const out = join(dir, "out");
    mkdirSync(out);
    chmodSync(out, 0o555);
    chmodSync(dir, 0o755);
    // root may write anywhere: the run drops to nobody (with a cache of its own).
    const res = isRoot ? runAsNobody(dir, [...ARGS, "--output-dir", out]) : await runCli([...ARGS, "--output-dir", out], { cwd: dir });
    expect(oneErrorLine(res)).toBe(
      `picofun: error: permission denied on ${out}: make it writable for this user (chmod/chown) or choose another output_dir (--output-dir) (EACCES)`,
    );
  });

  it("EPERM: an immutable output folder (chattr +i)", async () => {
    if (!needsRoot()) return;
    const dir = tempProject();
    expect((await runCli(ARGS, { cwd: dir })).code).toBe(0);
    const out = join(dir, "output");
    sh("chattr", ["+i", out]);
    cleanups.push(() => sh("chattr", ["-i", out]));
    const line = oneErrorLine(await runCli([...ARGS, "--server-url", "https://changed.example.com"], { cwd: dir }));
    expect(line).toBe(
      `picofun: error: operation not permitted on ${out}: make it writable for this user (chmod/chown, or clear its immutable flag) or choose another output_dir (--output-dir) (EPERM)`,
    );
  });

  it("ENOSPC: a full disk (a small tmpfs); after making room, a plain run finishes the job", async () => {
    if (!needsRoot()) return;
    const out = tmpfs("size=96k");
    const dir = tempProject();
    const line = oneErrorLine(await runCli([...ARGS, "--output-dir", out], { cwd: dir }));
    expect(line).toMatch(
      new RegExp(`^picofun: error: no space left on the device of ${out}(/[^\\s.][^\\s]*)?: free some space and run again \\(what is there stays usable; the next run finishes the job\\) \\(ENOSPC\\)$`),
    );
    sh("mount", ["-o", "remount,size=8m", out]);
    const res = await runCli([...ARGS, "--output-dir", out], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toMatch(/edited by hand|not written by picofun/);
    expect(readFileSync(join(out, "lambdas", "get_orders.py"), "utf8")).toContain("https://api.example.com");
  });

  it("EROFS: a read-only file system", async () => {
    if (!needsRoot()) return;
    const out = tmpfs("ro,size=1m");
    const line = oneErrorLine(await runCli([...ARGS, "--output-dir", out], { cwd: tempProject() }));
    expect(line).toBe(`picofun: error: ${out} is on a read-only file system: choose another output_dir (--output-dir) or remount it read-write (EROFS)`);
  });

  it("a file where picofun writes a folder, and a folder where it writes a file", async () => {
    const dir = tempProject();
    const out = join(dir, "output");
    mkdirSync(out);
    writeFileSync(join(out, "lambdas"), "a file of mine\n");
    expect(oneErrorLine(await runCli(ARGS, { cwd: dir }))).toMatch(
      new RegExp(`^picofun: error: ${join(out, "lambdas")} is a file in the way of the folder picofun writes lambdas/\\S+ into: move it away and run again$`),
    );
    expect(readFileSync(join(out, "lambdas"), "utf8")).toBe("a file of mine\n");

    const other = tempProject();
    mkdirSync(join(other, "output", "main.tf"), { recursive: true });
    expect(oneErrorLine(await runCli(ARGS, { cwd: other }))).toBe(
      `picofun: error: ${join(other, "output", "main.tf")} is a folder in the way of a file picofun writes: move it away and run again`,
    );
  });
});

describe("invalid server URLs: one line saying what to fix", () => {
  it("a bad port or unbalanced brackets, on the command line or in the spec", async () => {
    const dir = tempProject();
    expect(oneErrorLine(await runCli(["orders", ORDERS_SPEC, "--server-url", "https://api.example.com:99999/v1"], { cwd: dir }))).toBe(
      'picofun: error: --server-url "https://api.example.com:99999/v1" is not a valid URL: the port "99999" is not a number from 0 to 65535; fix it to an absolute http(s) URL such as https://api.example.com',
    );
    expect(oneErrorLine(await runCli(["orders", ORDERS_SPEC, "--server-url", "https://[::1/v1"], { cwd: dir }))).toBe(
      'picofun: error: --server-url "https://[::1/v1" is not a valid URL: unbalanced [ ] around the host (an IPv6 address is written [::1]); fix it to an absolute http(s) URL such as https://api.example.com',
    );
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, readFileSync(ORDERS_SPEC, "utf8").replace(/servers:[\s\S]*?\n(?=\S)/, "servers:\n  - url: https://api.example.com:80x/v1\n"));
    expect(oneErrorLine(await runCli(["orders", spec], { cwd: dir }))).toBe(
      `picofun: error: ${spec}: the server URL "https://api.example.com:80x/v1" is not a valid URL: the port "80x" is not a number from 0 to 65535; fix it to an absolute http(s) URL such as https://api.example.com`,
    );
  });
});

/** Runs picofun as user nobody (root bypasses file permissions), with a cache it may write. */
function runAsNobody(cwd: string, args: string[]): CliResult {
  const cache = mkdtempSync(join(tmpdir(), "picofun-nobody-"));
  chmodSync(cache, 0o777);
  const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: cache, HOME: cache },
  });
  rmSync(cache, { recursive: true, force: true });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
