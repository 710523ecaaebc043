import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { BIN, runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { freePort } from "../support/prism.js";
import { describeWithTools } from "../support/skip.js";

/** The README's shell blocks, one string per block. */
function shellBlocks(): string[] {
  const text = readFileSync(join(REPO, "README.md"), "utf8");
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/**
 * Where each README command is exercised. A command added to the README without an entry here
 * fails this test, so none goes untried.
 */
const COVERED: Array<[RegExp, string]> = [
  [/^npm install && npm run build && npx picofun orders examples\/orders\/openapi\.yaml$/, "run below"],
  [/^npm install && npm test$/, ".ci/run (npm ci, then npm test)"],
  [/^npm test$/, ".ci/run"],
  [/^npm create picofun@latest my-api/, "test/e2e/npm-create.test.ts (from the packed tarballs)"],
  [/^picofun (<namespace> <spec>|generate \[namespace\] \[spec\])/, "a usage pattern: test/e2e/orders.test.ts, rerun.test.ts"],
  [/^npx prism mock -p 4010 examples\/orders\/openapi\.yaml/, "run below (the local-run snippet)"],
];

/** A temporary clone-like folder: the examples, and node_modules/.bin with picofun and prism, as after npm install. */
function fakeClone(): string {
  const dir = mkdtempSync(join(tmpdir(), "picofun-readme-"));
  cpSync(join(REPO, "examples"), join(dir, "examples"), { recursive: true });
  cpSync(join(REPO, "package.json"), join(dir, "package.json"));
  mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
  symlinkSync(BIN, join(dir, "node_modules", ".bin", "picofun"));
  symlinkSync(join(REPO, "node_modules", ".bin", "prism"), join(dir, "node_modules", ".bin", "prism"));
  return dir;
}

function bash(script: string, cwd: string, timeoutMs = 120_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so whatever the script left running is ended with it.
    const child = spawn("bash", ["-c", `set -e\n${script}`], { cwd, detached: true, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // the group is gone already
      }
      resolve({ code, out });
    });
  });
}

it("every command the README shows is covered by a test", () => {
  const commands = shellBlocks().flatMap((block) => {
    const first = block.split("\n")[0];
    return first.startsWith("npx prism") ? [first] : block.split("\n").filter((l) => l.trim() && !l.startsWith(" ") && !/^(import|print)\b/.test(l));
  });
  const uncovered = commands.filter((c) => !COVERED.some(([re]) => re.test(c.replace(/\s+#.*$/, "").trim())));
  expect(uncovered).toEqual([]);
});

it("the README's first command writes the six functions of the example", async () => {
  const dir = fakeClone();
  const res = await runCli(["orders", "examples/orders/openapi.yaml"], { cwd: dir });
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout).toContain("6 functions for Orders API in output");
});

describeWithTools("the README's local-run snippet", ["python", "prism"], () => {
  it("runs as printed against Prism and gets the mock's answer", async () => {
    const block = shellBlocks().find((b) => b.startsWith("npx prism mock"))!;
    const port = String(await freePort());
    const dir = fakeClone();
    const script = `export PATH="${join(dir, "node_modules", ".bin")}:$PATH"\n${block.replaceAll("4010", port)}`;
    const res = await bash(script, dir, 280_000);
    expect(res.code, res.out).toBe(0);
    expect(res.out).toMatch(/'statusCode': 200/);
    expect(res.out).toContain("6 functions for Orders API");
  }, 300_000);
});
