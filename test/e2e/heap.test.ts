import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

// dist/bundle/main.js keeps V8's young generation at its first size (src/boot/heap.ts): after
// 40 MB of objects that all survive, the new space is still its starting 2 MB (two 1 MB
// semi-spaces), where plain Node grows it to 32 MB.
function newSpaceAfterAllocating(loadPicofun: boolean): number {
  const main = join(REPO, "dist", "bundle", "main.js");
  const script = `${loadPicofun ? `await import(${JSON.stringify(main)});` : ""}
const keep = [];
for (let i = 0; i < 1e6; i++) keep.push({ i, s: "x" + i });
const v8 = await import("node:v8");
console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size);`;
  const res = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  expect(res.status, res.stderr).toBe(0);
  return Number(res.stdout.trim());
}

describe("the binary's heap", () => {
  it("keeps the young generation small once picofun is loaded", async () => {
    // A real generation first: the child below then loads the bundle from that run's code cache
    // instead of writing one (with only its load-time functions) for later runs to use.
    const gen = await runCli(["orders", ORDERS_SPEC], { cwd: tempProject() });
    expect(gen.code, gen.stderr).toBe(0);
    expect(newSpaceAfterAllocating(false)).toBeGreaterThan(8 * 1024 * 1024);
    expect(newSpaceAfterAllocating(true)).toBeLessThanOrEqual(2 * 1024 * 1024);
  });
});
