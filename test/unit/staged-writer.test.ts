import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/env.js";
import { treeHashes } from "../support/tree.js";

// The compiled module: only the build has the writer thread's .js file next to it.
const { StagedWriter } = (await import(join(REPO, "dist", "src", "write", "staged.js"))) as typeof import("../../src/write/staged.js");

function files(n: number): Map<string, string | Uint8Array> {
  const out = new Map<string, string | Uint8Array>();
  for (let i = 0; i < n; i++) {
    out.set(`lambdas/f${i}.py`, `def handler(event, context):\n    return ${i}\n`);
    out.set(`build/lambdas/f${i}.zip`, Buffer.from([i % 256, 1, 2, 3]));
  }
  out.set("main.tf", "# module\n");
  return out;
}

describe.each([true, false])("StagedWriter (thread: %s)", (thread) => {
  it("writes every file with its final content, the manifest, and renames the staging folder into place", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "picofun-staged-")), "output");
    const all = files(150);
    const writer = await StagedWriter.open(dir, { thread });
    expect(writer.threaded).toBe(thread);
    let handed = 0;
    for (const [rel, data] of all) {
      if (handed++ % 3 === 0) writer.add(rel, data);
    }
    // Content that changes after it was handed over is written as it is at the end.
    writer.add("main.tf", "# stale\n");
    const { written } = await writer.finish(all, { version: 1, input: "key" });
    expect(written).toHaveLength(all.size);
    expect(existsSync(writer.staging)).toBe(false);
    const tree = treeHashes(dir);
    expect(Object.keys(tree).sort()).toEqual([...all.keys(), ".picofun-manifest.json"].sort());
    expect(readFileSync(join(dir, "main.tf"), "utf8")).toBe("# module\n");
    expect(readFileSync(join(dir, "lambdas", "f42.py"), "utf8")).toContain("return 42");
    const manifest = JSON.parse(readFileSync(join(dir, ".picofun-manifest.json"), "utf8")) as { files: Record<string, string>; input: string };
    expect(manifest.input).toBe("key");
    for (const [rel, hash] of Object.entries(manifest.files)) expect(tree[rel], rel).toBe(hash);
  });

  it("a file that cannot be written: the error comes out of finish(), and neither folder is left", async () => {
    const parent = mkdtempSync(join(tmpdir(), "picofun-staged-"));
    const dir = join(parent, "output");
    const writer = await StagedWriter.open(dir, { thread });
    const bad = new Map<string, string | Uint8Array>([
      ["a", "a file"],
      ["a/b.py", "under a file"],
    ]);
    for (const [rel, data] of bad) writer.add(rel, data);
    await expect(writer.finish(bad, { version: 1 })).rejects.toMatchObject({ code: expect.stringMatching(/ENOTDIR|EEXIST/) });
    expect(readdirSync(parent)).toEqual([]);
  });

  it("abort() removes the staging folder and stops the thread", async () => {
    const parent = mkdtempSync(join(tmpdir(), "picofun-staged-"));
    const writer = await StagedWriter.open(join(parent, "output"), { thread });
    for (const [rel, data] of files(100)) writer.add(rel, data);
    await writer.abort();
    expect(readdirSync(parent)).toEqual([]);
  });
});
