import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../support/env.js";

// Real processes racing for one output folder's lock, which a killed run left behind: whoever
// holds it appends "in"/"out" lines, so two holders at once show as overlapping intervals.
const work = mkdtempSync(join(tmpdir(), "picofun-lock-race-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CONTENDER = `
import { appendFileSync } from "node:fs";
const { lockOutput } = await import(${JSON.stringify(join(REPO, "dist", "src", "write", "lock.js"))});
const [dir, log] = process.argv.slice(2);
const release = await lockOutput(dir, 20000);
appendFileSync(log, "in " + process.pid + "\\n");
const until = Date.now() + 15;
while (Date.now() < until) {}
appendFileSync(log, "out " + process.pid + "\\n");
release();
`;

function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

function run(dir: string, log: string, script: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, dir, log], { stdio: ["ignore", "ignore", "inherit"] });
    child.on("exit", (code) => resolve(code));
  });
}

describe("the output lock under contention", () => {
  it("six runs meeting a stale lock, ten times over: exactly one holder at a time, and the lock gone at the end", async () => {
    const script = join(work, "contender.mjs");
    writeFileSync(script, CONTENDER);
    for (let round = 0; round < 10; round++) {
      const dir = mkdtempSync(join(work, "out-"));
      const log = join(dir, "..", `log-${round}`);
      writeFileSync(log, "");
      writeFileSync(join(dir, ".picofun.lock"), JSON.stringify({ pid: deadPid(), host: hostname(), started: "2026-12-01T00:00:00.000Z", command: "killed" }));
      const codes = await Promise.all(Array.from({ length: 6 }, () => run(dir, log, script)));
      expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
      const lines = readFileSync(log, "utf8").trim().split("\n");
      expect(lines).toHaveLength(12);
      for (let i = 0; i < lines.length; i += 2) {
        const [inWord, inPid] = lines[i].split(" ");
        expect(inWord, `round ${round}: ${lines.join(", ")}`).toBe("in");
        expect(lines[i + 1], `round ${round}: two holders at once: ${lines.join(", ")}`).toBe(`out ${inPid}`);
      }
      expect(readdirSync(dir)).toEqual([]);
    }
  }, 120_000);
});
