import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { oneErrorLine } from "../support/oneErrorLine.js";
import { REPO } from "../support/env.js";

const CREATE_BIN = join(REPO, "bin", "create-picofun.js");

/** A home folder of the test's own (an empty one: the wizard would fill it if it were allowed). */
function fakeHome(): { cwd: string; home: string; env: Record<string, string> } {
  const cwd = tempProject();
  const home = join(cwd, "home");
  mkdirSync(home);
  return { cwd, home, env: { HOME: home } };
}

describe("picofun init refuses folders it must never fill (issue 28, medium 10)", () => {
  it("the home folder as the project folder, even empty and with --force", async () => {
    const { cwd, home, env } = fakeHome();
    const res = await runCli(["init", home, "--yes", "--force", "--spec", ORDERS_SPEC], { cwd, env });
    expect(oneErrorLine(res)).toMatch(/^picofun: error: project folder .*home is your home folder: picofun will not fill it; choose a folder of its own/);
    expect(readdirSync(home)).toEqual([]);
  });

  it("the home folder from inside it: `init .` in ~", async () => {
    const { home, env } = fakeHome();
    const res = await runCli(["init", ".", "--yes", "--spec", ORDERS_SPEC], { cwd: home, env });
    expect(oneErrorLine(res)).toContain("is your home folder");
    expect(readdirSync(home)).toEqual([]);
  });

  it("the root of the file system, with a message about the root and not a hint to pass --force", async () => {
    const { cwd, env } = fakeHome();
    const res = await runCli(["init", "/", "--yes", "--spec", ORDERS_SPEC], { cwd, env });
    const line = oneErrorLine(res);
    expect(line).toContain("project folder / is the root of the file system");
    expect(line).not.toContain("--force");
  });

  it("a folder above the current one, even with --force", async () => {
    const { cwd, env } = fakeHome();
    const inner = join(cwd, "a", "b");
    mkdirSync(inner, { recursive: true });
    const res = await runCli(["init", "..", "--yes", "--force", "--spec", ORDERS_SPEC], { cwd: inner, env });
    expect(oneErrorLine(res)).toContain(`project folder ${join(cwd, "a")} is above the current folder ${inner}`);
    expect(readdirSync(join(cwd, "a"))).toEqual(["b"]);
  });

  it("`/`, the home folder or a folder above as --output-dir, before anything is written", async () => {
    const { cwd, home, env } = fakeHome();
    for (const out of ["/", home, cwd]) {
      const res = await runCli(["init", "proj", "--yes", "--spec", ORDERS_SPEC, "--output-dir", out], { cwd: join(cwd, "home"), env });
      expect(oneErrorLine(res)).toMatch(/^picofun: error: output folder .* (is the root of the file system|is your home folder|is above the project folder)/);
      expect(existsSync(join(home, "proj")), out).toBe(false);
    }
  });

  it("npm create picofun (create-picofun) applies the same rule", () => {
    const { cwd, home, env } = fakeHome();
    const res = spawnSync(process.execPath, [CREATE_BIN, "--yes", "--spec", ORDERS_SPEC, "--output-dir", ".."], {
      cwd: home,
      env: { ...process.env, ...env, NO_COLOR: "1" },
      encoding: "utf8",
    });
    expect(oneErrorLine({ code: res.status, stdout: res.stdout, stderr: res.stderr })).toContain(`output folder ${cwd} is above the project folder ${join(home, "orders")}`);
    expect(readdirSync(home)).toEqual([]);
  });
});
