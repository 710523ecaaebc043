import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, runCli, TEST_CACHE } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";

/** Temporary stub files, as picofun names them (now and in earlier builds). */
const TEMP = /^\..+\.picofun-\d+-[0-9a-f]{8}\.tmp$|\.(py|mjs)\.\d+\.[0-9a-f]{8}\.tmp$/;

function apiProject(spec: string, specName: string): string {
  const dir = tempProject();
  writeFileSync(join(dir, specName), spec);
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "k"', `spec = "${specName}"`, 'kind = "api"'].join("\n") + "\n");
  return dir;
}

/** The pid of a process that has exited: a killed run's. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("api kind: temporary stub files of an interrupted run", () => {
  it("the next run removes picofun's leftover temporary files and nothing else", async () => {
    const dir = apiProject(readFileSync(join(REPO, "test", "fixtures", "api", "petstore.yaml"), "utf8"), "petstore.yaml");
    expect((await runCli([], { cwd: dir })).code).toBe(0);
    const handlers = join(dir, "handlers");
    const dead = deadPid();
    const leftovers = [`.listPets.py.picofun-${dead}-0123abcd.tmp`, `listPets.py.${dead}.89abcdef.tmp`];
    // The user's own files, some looking a little like ours; and the temp file of a run still going on.
    const mine = ["notes.tmp", "listPets.py.bak", `helper.py.${dead}.tmp`, `.x.picofun-${dead}-nothex00.tmp`, `.listPets.py.picofun-${process.pid}-0123abcd.tmp`];
    for (const name of [...leftovers, ...mine]) writeFileSync(join(handlers, name), `content of ${name}`);
    mkdirSync(join(handlers, `.folder.py.picofun-${dead}-00000000.tmp`));
    const stub = readFileSync(join(handlers, "listPets.py"), "utf8");

    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`temporary files an interrupted run left removed (2): handlers/${leftovers[0]}, handlers/${leftovers[1]}`);
    for (const name of leftovers) expect(existsSync(join(handlers, name)), name).toBe(false);
    for (const name of mine) expect(readFileSync(join(handlers, name), "utf8")).toBe(`content of ${name}`);
    expect(existsSync(join(handlers, `.folder.py.picofun-${dead}-00000000.tmp`))).toBe(true);
    expect(readFileSync(join(handlers, "listPets.py"), "utf8")).toBe(stub);
    // Nothing left to remove: no note.
    expect((await runCli([], { cwd: dir })).stdout).not.toContain("temporary files");
  });

  it("SIGKILL while stubs are written: every stub on disk is whole, and the next run leaves no temporary file", async () => {
    const ops = 1500;
    const lines = ["openapi: 3.0.3", "info: {title: K, version: '1'}", "paths:"];
    for (let i = 0; i < ops; i++) lines.push(`  /t${i}:`, "    get:", `      operationId: getT${i}`, "      parameters: [{name: q, in: query, schema: {type: string}}]", "      responses: {'200': {description: ok}}");
    const spec = `${lines.join("\n")}\n`;
    // What each stub holds when written whole.
    const reference = apiProject(spec, "api.yaml");
    expect((await runCli([], { cwd: reference, timeoutMs: 120_000 })).code).toBe(0);
    const whole = new Map(readdirSync(join(reference, "handlers")).map((n) => [n, readFileSync(join(reference, "handlers", n), "utf8")]));
    expect(whole.size).toBe(ops);

    const dir = apiProject(spec, "api.yaml");
    const handlers = join(dir, "handlers");
    let delay = 300;
    let midway = 0;
    let tempsSeen = 0;
    let lastTemps = 0;
    for (let attempt = 0; attempt < 12 && midway < 3; attempt++) {
      await killDuringStubs(dir, delay);
      const names = existsSync(handlers) ? readdirSync(handlers) : [];
      const stubs = names.filter((n) => n.endsWith(".py"));
      lastTemps = names.filter((n) => TEMP.test(n)).length;
      tempsSeen += lastTemps;
      for (const n of stubs) expect(readFileSync(join(handlers, n), "utf8"), n).toBe(whole.get(n));
      if (stubs.length === 0) delay *= 1.6;
      else if (stubs.length === ops) delay /= 1.6;
      else midway++;
      // A run that got further created every stub: start over so the next kill lands among them.
      if (stubs.length === ops) for (const n of stubs) rmSync(join(handlers, n));
    }
    expect(midway, `no kill landed while the stubs were written (last delay ${delay} ms)`).toBeGreaterThan(0);

    const res = await runCli([], { cwd: dir, timeoutMs: 120_000 });
    expect(res.code, res.stderr).toBe(0);
    const after = readdirSync(handlers);
    expect(after.filter((n) => TEMP.test(n))).toEqual([]);
    expect(after.filter((n) => n.endsWith(".py")).sort()).toEqual([...whole.keys()].sort());
    for (const n of after) if (n.endsWith(".py")) expect(readFileSync(join(handlers, n), "utf8")).toBe(whole.get(n));
    if (lastTemps) expect(res.stdout).toMatch(/temporary files an interrupted run left removed/);
    console.log(`stub kills: ${midway} landed among the stubs, ${tempsSeen} temporary file(s) caught on disk`);
  }, 300_000);
});

/** Starts `picofun` in `cwd` and SIGKILLs it `delayMs` after it starts rendering (stubs are written then). */
function killDuringStubs(cwd: string, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN], { cwd, env: { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: TEST_CACHE, PICOFUN_TIMINGS: "1" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on("data", (d) => {
      stderr += d;
      if (!timer && stderr.includes("then: Rendering templates")) timer = setTimeout(() => child.kill("SIGKILL"), delayMs);
    });
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
