import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli, TEST_CACHE } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { rng } from "../support/random.js";
import { readZip } from "../support/zip.js";

/**
 * SIGKILL at random instants, many times in a row, alternating two specs over a large
 * synthetic API: after all that, one plain run must recognise every file as picofun's
 * (no "edited by hand"), and leave exactly what a clean generation of its spec leaves.
 */
const OPS = 240;
const KILLS = 30;

/** Spec `variant`: A has operations 0..OPS-1, B 40..OPS+39 (files go stale both ways), other servers and summaries. */
function syntheticSpec(variant: "A" | "B"): string {
  const first = variant === "A" ? 0 : 40;
  const lines = ["openapi: 3.0.3", "info: {title: Synthetic, version: '1'}", `servers: [{url: 'https://${variant.toLowerCase()}.example.com/v1'}]`, "paths:"];
  for (let i = first; i < first + OPS; i++) {
    lines.push(`  /things${i}/{id}:`);
    lines.push(`    get:`);
    lines.push(`      operationId: getThing${i}`);
    lines.push(`      summary: Thing ${i} as spec ${variant} says`);
    lines.push(`      parameters: [{name: id, in: path, required: true, schema: {type: string}}, {name: q${variant}, in: query, schema: {type: integer}}]`);
    lines.push(`      responses: {'200': {description: ok}}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Relative path -> bytes of every file under `root`, without the manifest. */
function readTree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(relative(root, full), readFileSync(full));
    }
  };
  walk(root);
  return out;
}

const manifestFiles = (dir: string) => (JSON.parse(readFileSync(join(dir, ".picofun-manifest.json"), "utf8")) as { files: unknown }).files;

interface Killed {
  /** The run got as far as writing files before the kill. */
  inWrite: boolean;
  /** It finished before the kill came. */
  finished: boolean;
}

/** Starts a run and SIGKILLs it `delayMs` after start, or after it starts writing when `afterWriteStart`. */
function runAndKill(cwd: string, spec: string, delayMs: number, afterWriteStart: boolean): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "syn", spec], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: TEST_CACHE, PICOFUN_TIMINGS: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    const kill = () => (timer = setTimeout(() => child.kill("SIGKILL"), delayMs));
    child.stderr.on("data", (d) => {
      stderr += d;
      if (afterWriteStart && !timer && stderr.includes("then: Writing files")) kill();
    });
    if (!afterWriteStart) kill();
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal === null && code !== 0) reject(new Error(`run failed (${code}): ${stderr}`));
      resolve({ inWrite: stderr.includes("then: Writing files"), finished: signal === null });
    });
  });
}

describe("SIGKILL at any instant, again and again, with two specs in turn", () => {
  const ref: Record<"A" | "B", { dir: string; tree: Map<string, Buffer>; writeMs: number; totalMs: number }> = {} as never;

  beforeAll(async () => {
    // A clean generation of each spec; B's over A's, to time a write stage that replaces files.
    const dir = tempProject();
    for (const v of ["A", "B"] as const) {
      writeFileSync(join(dir, `${v}.yaml`), syntheticSpec(v));
      const start = Date.now();
      const res = await runCli(["syn", `${v}.yaml`], { cwd: dir, env: { PICOFUN_TIMINGS: "1" } });
      const totalMs = Date.now() - start;
      expect(res.code, res.stderr).toBe(0);
      const writeMs = Number(/(\d+) ms, then: done/.exec(res.stderr)?.[1] ?? 100);
      const tree = readTree(join(dir, "output"));
      const copy = tempProject(join(dir, "output"));
      tree.delete(".picofun-manifest.json");
      ref[v] = { dir: copy, tree, writeMs, totalMs };
    }
    // Kills are spread over the longer of the two, the replacing one.
    ref.A.writeMs = ref.B.writeMs;
    ref.A.totalMs = ref.B.totalMs;
  }, 120_000);

  it("leaves whole files every time, and one plain run repairs everything: no hand edits, the last spec's code in every zip", async () => {
    const project = tempProject();
    for (const v of ["A", "B"] as const) writeFileSync(join(project, `${v}.yaml`), syntheticSpec(v));
    const out = join(project, "output");
    const next = rng(21);
    let inWrite = 0;
    let killedInWrite = 0;
    let last: "A" | "B" = "A";
    for (let i = 0; i < KILLS; i++) {
      last = i % 2 ? "B" : "A";
      // Half the kills anywhere in the run, half while it writes (the write stage is short).
      const afterWrite = next() < 0.5;
      const delay = Math.floor(next() * (afterWrite ? ref[last].writeMs * 1.2 + 5 : ref[last].totalMs * 1.2));
      const r = await runAndKill(project, `${last}.yaml`, delay, afterWrite);
      if (r.inWrite) inWrite++;
      if (r.inWrite && !r.finished) killedInWrite++;
      // Whatever instant the kill came at: every file is whole, some spec's version of it.
      let tree: Map<string, Buffer>;
      try {
        tree = readTree(out);
      } catch {
        continue; // killed before the output folder existed
      }
      for (const [rel, bytes] of tree) {
        if (rel === ".picofun-manifest.json" || rel === ".picofun.lock" || rel.endsWith(".tmp") || rel.startsWith(".picofun-staging")) continue;
        const whole = ref.A.tree.get(rel)?.equals(bytes) || ref.B.tree.get(rel)?.equals(bytes);
        expect(whole, `${rel} after kill #${i} (${afterWrite ? "writing" : "anywhere"}, ${delay} ms) is neither spec's file`).toBe(true);
      }
    }
    // The loop must have exercised what it claims to.
    expect(inWrite).toBeGreaterThan(KILLS / 3);
    expect(killedInWrite).toBeGreaterThan(KILLS / 4);

    const plain = await runCli(["syn", `${last}.yaml`], { cwd: project });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toMatch(/edited by hand|not written by picofun|symbolic link/);
    const tree = readTree(out);
    expect(tree.has(".picofun.lock")).toBe(false);
    tree.delete(".picofun-manifest.json");
    expect([...tree.keys()].sort()).toEqual([...ref[last].tree.keys()].sort());
    for (const [rel, bytes] of ref[last].tree) expect(tree.get(rel)!.equals(bytes), rel).toBe(true);
    expect(manifestFiles(out)).toEqual(manifestFiles(ref[last].dir));

    // Every function zip holds the handler of the last spec (its server URL and summary).
    const zips = [...tree.keys()].filter((rel) => rel.startsWith("build/lambdas/"));
    expect(zips.length).toBe(OPS);
    for (const rel of zips) {
      const entries = readZip(tree.get(rel)!);
      const handler = [...entries].find(([name]) => name.endsWith(".py"))!;
      expect(handler[1].toString("utf8"), rel).toContain(`https://${last.toLowerCase()}.example.com/v1`);
      expect(handler[1].equals(ref[last].tree.get(`lambdas/${handler[0]}`)!), rel).toBe(true);
    }

    // And a real hand edit made now survives the next interrupted runs and the plain run after them.
    const edited = [...tree.keys()].find((rel) => rel.startsWith("lambdas/") && rel.endsWith(".py") && ref.A.tree.has(rel) && ref.B.tree.has(rel))!;
    writeFileSync(join(out, edited), "# my own code\n");
    for (let i = 0; i < 6; i++) {
      const spec = i % 2 ? "B" : "A";
      await runAndKill(project, `${spec}.yaml`, Math.floor(next() * ref[spec].writeMs * 1.2), true);
    }
    const after = await runCli(["syn", "B.yaml"], { cwd: project });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout.match(/edited by hand/g)).toHaveLength(1);
    expect(after.stdout).toContain(`${edited} was edited by hand`);
    expect(readFileSync(join(out, edited), "utf8")).toBe("# my own code\n");
  }, 300_000);
});
