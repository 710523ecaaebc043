import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { oneErrorLine } from "../support/oneErrorLine.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { treeHashes } from "../support/tree.js";
import { readZip } from "../support/zip.js";

const ARGS = ["orders", ORDERS_SPEC, "--server-url", "https://api.example.com"];

/** The handler inside the zip of get /orders. */
function zippedHandler(out: string): string {
  const entries = readZip(readFileSync(join(out, "build", "lambdas", "orders_get_orders.zip")));
  return entries.get("get_orders.py")!.toString("utf8");
}

describe("symbolic links inside the output folder", () => {
  it("are never written through: a file elsewhere that picofun did not write stays as it is", async () => {
    const dir = tempProject();
    const out = join(dir, "output");
    expect((await runCli(ARGS, { cwd: dir })).code).toBe(0);
    // lambdas/ becomes a link to a folder of the user's, holding a file named like a handler.
    const elsewhere = tempProject();
    writeFileSync(join(elsewhere, "get_orders.py"), "# the user's own file\n");
    rmSync(join(out, "lambdas"), { recursive: true });
    symlinkSync(elsewhere, join(out, "lambdas"));
    // And main.tf a link to a file of the user's.
    const tf = join(elsewhere, "notes.tf");
    writeFileSync(tf, "# mine\n");
    rmSync(join(out, "main.tf"));
    symlinkSync(tf, join(out, "main.tf"));

    const res = await runCli([...ARGS, "--server-url", "https://changed.example.com"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(readdirSync(elsewhere).sort()).toEqual(["get_orders.py", "notes.tf"]);
    expect(readFileSync(join(elsewhere, "get_orders.py"), "utf8")).toBe("# the user's own file\n");
    expect(readFileSync(tf, "utf8")).toBe("# mine\n");
    expect(res.stdout).toContain(`lambdas is a symbolic link to ${elsewhere} (outside the output folder): not written through, 6 generated file(s) there left out`);
    expect(res.stdout).toContain(`main.tf is a symbolic link to ${tf} (outside the output folder): not written through, 1 generated file(s) there left out`);
    // The zips, which are not under a link, hold the new code.
    expect(zippedHandler(out)).toContain("changed.example.com");

    // Nothing stale is removed through a link either: fewer endpoints, same links.
    writeFileSync(join(dir, "include.yaml"), "operationIds: [listOrders]\n");
    writeFileSync(join(dir, "picofun.toml"), 'include_endpoints = "include.yaml"\n');
    const fewer = await runCli([...ARGS, "--server-url", "https://changed.example.com"], { cwd: dir });
    expect(fewer.code, fewer.stderr).toBe(0);
    expect(readdirSync(elsewhere).sort()).toEqual(["get_orders.py", "notes.tf"]);
    expect(readFileSync(join(elsewhere, "get_orders.py"), "utf8")).toBe("# the user's own file\n");
  });

  it("an output folder that is a link to an empty folder is followed; a dangling one is refused", async () => {
    const dir = tempProject();
    const target = tempProject();
    symlinkSync(target, join(dir, "output"));
    const res = await runCli(ARGS, { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(target, "lambdas", "get_orders.py"))).toBe(true);
    expect(existsSync(join(target, ".picofun.lock"))).toBe(false);

    const dangling = tempProject();
    symlinkSync(join(dangling, "nowhere"), join(dangling, "output"));
    expect(oneErrorLine(await runCli(ARGS, { cwd: dangling }))).toBe(
      `picofun: error: output folder ${join(dangling, "output")} is a symbolic link to ${join(dangling, "nowhere")}, which does not exist: create ${join(dangling, "nowhere")}, or remove the link`,
    );
  });
});

describe("dangerous output folders are refused before anything is read or written", () => {
  // A missing spec: were the folder not refused first, the run would stop at the spec, writing nothing.
  const args = (out: string) => ["orders", "missing-spec.yaml", "--output-dir", out];

  it("the file-system root", async () => {
    expect(oneErrorLine(await runCli(args("/"), { cwd: tempProject() }))).toMatch(
      /^picofun: error: output folder \/ is the root of the file system: picofun will not fill it; set output_dir \(or --output-dir\) to a folder of its own, such as output$/,
    );
  });

  it("the home folder, and a folder holding it", async () => {
    const base = tempProject();
    const home = join(base, "users", "me");
    const cwd = join(home, "work", "proj");
    mkdirSync(cwd, { recursive: true });
    expect(oneErrorLine(await runCli(args(home), { cwd, env: { HOME: home } }))).toBe(
      `picofun: error: output folder ${home} is your home folder: picofun will not fill it; set output_dir (or --output-dir) to a folder of its own, such as output`,
    );
    // From a project elsewhere, the folder of all users' homes.
    expect(oneErrorLine(await runCli(args(join(base, "users")), { cwd: tempProject(), env: { HOME: home } }))).toBe(
      `picofun: error: output folder ${join(base, "users")} holds your home folder: picofun will not fill it; set output_dir (or --output-dir) to a folder of its own, such as output`,
    );
  });

  it("a folder above the project, from picofun.toml or the command line; the project folder itself is allowed", async () => {
    const parent = tempProject();
    const project = join(parent, "proj");
    mkdirSync(project);
    writeFileSync(join(project, "picofun.toml"), 'namespace = "orders"\nspec = "missing-spec.yaml"\noutput_dir = ".."\n');
    expect(oneErrorLine(await runCli(["generate"], { cwd: project }))).toBe(
      `picofun: error: output folder ${parent} is above the project folder ${project}: picofun will not fill it; set output_dir (or --output-dir) to a folder of its own, such as output`,
    );
    expect(oneErrorLine(await runCli(args("../.."), { cwd: project }))).toMatch(/is above the project folder/);
    expect(readdirSync(parent)).toEqual(["proj"]);

    // The project folder itself: generated there, and the user's files in it are kept.
    writeFileSync(join(project, "picofun.toml"), `namespace = "orders"\nspec = "${ORDERS_SPEC}"\noutput_dir = "."\n[server]\nurl = "https://api.example.com"\n`);
    writeFileSync(join(project, "notes.md"), "mine\n");
    const res = await runCli(["generate"], { cwd: project });
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(project, "lambdas", "get_orders.py"))).toBe(true);
    expect(readFileSync(join(project, "notes.md"), "utf8")).toBe("mine\n");
    expect(readFileSync(join(project, "picofun.toml"), "utf8")).toContain('output_dir = "."');
  });
});

describe("one run at a time per output folder", () => {
  it("a second run waits for a live holder, then refuses naming it; a lock left by a killed run is taken over", async () => {
    const dir = tempProject();
    const out = join(dir, "output");
    expect((await runCli(ARGS, { cwd: dir })).code).toBe(0);
    const before = treeHashes(out);

    const holder = spawn("sleep", ["60"], { stdio: "ignore" });
    try {
      const lock = { pid: holder.pid, host: hostname(), started: "2026-12-01T23:00:00.000Z", command: "picofun generate (test holder)" };
      writeFileSync(join(out, ".picofun.lock"), JSON.stringify(lock));
      const start = Date.now();
      const res = await runCli([...ARGS, "--server-url", "https://changed.example.com"], { cwd: dir });
      expect(Date.now() - start).toBeGreaterThanOrEqual(2900);
      expect(oneErrorLine(res)).toBe(
        `picofun: error: output folder ${out} is in use by another picofun run (pid ${holder.pid} on ${hostname()}, started 2026-12-01T23:00:00.000Z: picofun generate (test holder)): wait for it to finish, or delete ${join(out, ".picofun.lock")} if that run is gone`,
      );
      expect(treeHashes(out)).toEqual({ ...before, ".picofun.lock": treeHashes(out)[".picofun.lock"] });
    } finally {
      holder.kill("SIGKILL");
    }
    await new Promise((r) => holder.once("exit", r));

    // The holder is gone (as after a SIGKILL): its lock is taken over without waiting.
    const start = Date.now();
    const res = await runCli([...ARGS, "--server-url", "https://changed.example.com"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(Date.now() - start).toBeLessThan(2900);
    expect(existsSync(join(out, ".picofun.lock"))).toBe(false);
    expect(zippedHandler(out)).toContain("changed.example.com");
  });

  it("two runs started together into one new folder both finish, one after the other, with one clean result", async () => {
    const dir = tempProject();
    const [a, b] = await Promise.all([runCli(ARGS, { cwd: dir }), runCli(ARGS, { cwd: dir })]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const clean = tempProject();
    expect((await runCli(ARGS, { cwd: clean })).code).toBe(0);
    const strip = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([k]) => k !== ".picofun-manifest.json"));
    expect(strip(treeHashes(join(dir, "output")))).toEqual(strip(treeHashes(join(clean, "output"))));
    expect(spawnSync("ls", ["-a", join(dir, "output")], { encoding: "utf8" }).stdout).not.toMatch(/picofun\.lock|staging|\.tmp/);
  });
});
