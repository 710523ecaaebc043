import { createHash } from "node:crypto";
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

/**
 * A write that fails part-way (full disk, killed process) must leave the previous output
 * usable, and the next run must finish the job without mistaking its own files for hand edits.
 * writeFileAtomic is wrapped so that the n-th write throws, for every n.
 */
const failing = vi.hoisted(() => ({ after: -1, calls: 0 }));
vi.mock("../../src/write/atomic.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/write/atomic.js")>();
  return {
    ...real,
    writeFileAtomic: (path: string, data: string | Uint8Array, mode?: number) => {
      if (failing.after >= 0 && failing.calls++ >= failing.after) {
        // What a crash mid-write leaves behind: a partial temporary file next to the target.
        writeFileSync(`${path}.${process.pid}-999999.tmp`, "partial");
        throw new Error("ENOSPC: no space left on device");
      }
      return real.writeFileAtomic(path, data, mode);
    },
  };
});

const { writeOutput } = await import("../../src/write/output.js");
const { MANIFEST_FILE } = await import("../../src/write/manifest.js");

function readTree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(root, full), readFileSync(full));
    }
  };
  walk(root);
  return out;
}

function treeHashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rel, bytes] of readTree(root)) {
    // The manifest is compared by the files it lists (the CLI also records its input fingerprint).
    const data = rel === MANIFEST_FILE ? Buffer.from(JSON.stringify((JSON.parse(bytes.toString("utf8")) as { files: unknown }).files)) : bytes;
    out[rel] = createHash("sha256").update(data).digest("hex");
  }
  return out;
}

const isTerraform = (rel: string) => rel.endsWith(".tf") || rel.endsWith(".tf.json");

describe("an interrupted regeneration", () => {
  let v1Dir: string;
  let v1: Map<string, Buffer>;
  let v2: Map<string, Buffer>;
  let v2Tree: Record<string, string>;
  let v1Tree: Record<string, string>;
  let v1WithoutManifest: Map<string, Buffer>;

  beforeAll(async () => {
    // v1: every endpoint; v2: fewer endpoints (stale files) and another server URL (changed files).
    const a = tempProject();
    const b = tempProject();
    expect((await runCli(["orders", ORDERS_SPEC, "--server-url", "https://one.example.com"], { cwd: a })).code).toBe(0);
    writeFileSync(join(b, "include.yaml"), "operationIds: [listOrders, createOrder, putLineItem]\n");
    writeFileSync(join(b, "picofun.toml"), 'include_endpoints = "include.yaml"\n');
    expect((await runCli(["orders", ORDERS_SPEC, "--server-url", "https://two.example.com"], { cwd: b })).code).toBe(0);
    v1Dir = join(a, "output");
    v1 = readTree(v1Dir);
    v1Tree = treeHashes(v1Dir);
    v1WithoutManifest = new Map([...v1].filter(([rel]) => rel !== MANIFEST_FILE));
    v2 = readTree(join(b, "output"));
    v2.delete(MANIFEST_FILE);
    v2Tree = treeHashes(join(b, "output"));
  });

  it("leaves whole files, the old Terraform with everything it names, and a next run that finishes cleanly", async () => {
    const changed = [...v2.keys()].filter((rel) => !v1.get(rel)?.equals(v2.get(rel)!));
    const stale = [...v1.keys()].filter((rel) => rel !== MANIFEST_FILE && !v2.has(rel));
    expect(changed.length).toBeGreaterThan(3);
    expect(stale.length).toBeGreaterThan(3);

    // +1: the manifest noting the pending writes comes first. After the failure the next run
    // either finishes the same change or goes back to the first output (the user undid it).
    for (let n = 0; n <= changed.length; n++) {
      for (const nextRun of ["v2", "back to v1"] as const) {
        const dir = join(tempProject(), "output");
        cpSync(v1Dir, dir, { recursive: true });
        failing.after = n;
        failing.calls = 0;
        await expect(writeOutput(dir, new Map(v2))).rejects.toThrow(/ENOSPC/);
        failing.after = -1;

        const disk = readTree(dir);
        for (const [rel, bytes] of disk) {
          if (rel === MANIFEST_FILE || rel.endsWith(".tmp")) continue;
          const whole = v1.get(rel)?.equals(bytes) || v2.get(rel)?.equals(bytes);
          expect(whole, `${rel} after failing write #${n} is neither the old nor the new file`).toBe(true);
        }
        // Nothing of the previous output is gone yet.
        for (const rel of v1.keys()) expect(disk.has(rel), `${rel} vanished after failing write #${n}`).toBe(true);
        // Terraform is either all old, or it names only files already written in full.
        const newTerraform = [...disk].some(([rel, bytes]) => isTerraform(rel) && !v1.get(rel)?.equals(bytes));
        if (newTerraform) {
          for (const [rel, bytes] of v2) {
            if (!isTerraform(rel)) expect(disk.get(rel)?.equals(bytes), `${rel} missing under new Terraform (#${n})`).toBe(true);
          }
        } else {
          for (const rel of [...v1.keys()].filter(isTerraform)) expect(disk.get(rel)?.equals(v1.get(rel)!)).toBe(true);
        }

        const target = nextRun === "v2" ? v2 : v1WithoutManifest;
        const report = await writeOutput(dir, new Map(target));
        expect(report.keptEdited, `${nextRun} after failing write #${n}`).toEqual([]);
        expect(report.keptForeign, `${nextRun} after failing write #${n}`).toEqual([]);
        expect(treeHashes(dir), `${nextRun} after failing write #${n}`).toEqual(nextRun === "v2" ? v2Tree : v1Tree);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("still keeps a real hand edit made after an interrupted run", async () => {
    const dir = join(tempProject(), "output");
    cpSync(v1Dir, dir, { recursive: true });
    failing.after = 3;
    failing.calls = 0;
    await expect(writeOutput(dir, new Map(v2))).rejects.toThrow(/ENOSPC/);
    failing.after = -1;
    const handler = "lambdas/get_orders.py";
    writeFileSync(join(dir, handler), "# my own code\n");
    const report = await writeOutput(dir, new Map(v2));
    expect(report.keptEdited).toContain(handler);
    expect(readFileSync(join(dir, handler), "utf8")).toBe("# my own code\n");
    expect(existsSync(join(dir, "lambdas/get_orders_orderId.py"))).toBe(false);
  });

  it("clears the staging folder of a first generation that was killed", async () => {
    const project = tempProject();
    const dir = join(project, "output");
    const leftover = join(project, "output.picofun-4194303.tmp");
    cpSync(v1Dir, leftover, { recursive: true });
    const other = join(project, "output.picofun-notes.tmp");
    writeFileSync(other, "not ours\n");
    const report = await writeOutput(dir, new Map(v2));
    expect(report.written.length).toBe(v2.size);
    expect(existsSync(leftover)).toBe(false);
    expect(readFileSync(other, "utf8")).toBe("not ours\n");
    expect(treeHashes(dir)).toEqual(v2Tree);
  });
});
