#!/usr/bin/env node
// Bench of issue 32 (row 1c), run by bench/run.mjs or alone after npm run build: GitHub's full
// generation with `[stepfunctions] http_tasks = true` next to the same run without, into a RAM
// disk when there is one (/dev/shm; else the temporary folder), each run with a fresh model cache,
// runs interleaved (the order alternating), BENCH_RUNS each (default 9). Prints best and median
// wall time and the median CPU time (user + system, GNU time) of both, the bytes of the HTTP Task
// files, and the load average before and after. Target: the median with HTTP Tasks under 15%
// above the median without. Not a test: the numbers depend on what else the machine is doing.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(repo, "bin", "picofun.js");
const runs = Number(process.env.BENCH_RUNS ?? 9);
const target = 0.15;
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const load = () => loadavg().map((l) => l.toFixed(2)).join(", ");

function ramOrTmp() {
  if (existsSync("/dev/shm")) {
    try {
      return { dir: mkdtempSync(join("/dev/shm", "picofun-bench-")), ram: true };
    } catch {
      // not writable: the temporary folder
    }
  }
  return { dir: mkdtempSync(join(tmpdir(), "picofun-bench-")), ram: false };
}

const { dir: work, ram } = ramOrTmp();
const github = join(work, "github.json");
cpSync(join(repo, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json"), github);

/** One generation into a new folder with a new cache: wall and CPU seconds, the HTTP Task files' bytes. */
function generate(toml) {
  const dir = mkdtempSync(join(work, "case-"));
  const cache = mkdtempSync(join(work, "cache-"));
  if (toml) writeFileSync(join(dir, "picofun.toml"), toml);
  const args = [bin, "github", github];
  const env = { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: cache };
  const start = process.hrtime.bigint();
  const res = gnuTime
    ? spawnSync(gnuTime, ["-f", "__CPU__%U %S", process.execPath, ...args], { cwd: dir, encoding: "utf8", env, maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8", env, maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (res.status !== 0) throw new Error(`picofun github failed: ${res.stderr}`);
  const cpu = /__CPU__([\d.]+) ([\d.]+)/.exec(res.stderr ?? "");
  const httpDir = join(dir, "output", "stepfunctions", "http");
  let bytes = 0;
  let largest = 0;
  if (existsSync(httpDir)) {
    for (const f of readdirSync(httpDir)) {
      const size = statSync(join(httpDir, f)).size;
      bytes += size;
      largest = Math.max(largest, size);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
  return { wall, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined, bytes, largest };
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];

const before = load();
const plain = [];
const http = [];
for (let i = 0; i < runs; i++) {
  const order = i % 2 ? [[http, "[stepfunctions]\nhttp_tasks = true\n"], [plain, ""]] : [[plain, ""], [http, "[stepfunctions]\nhttp_tasks = true\n"]];
  for (const [list, toml] of order) list.push(generate(toml));
}
const after = load();
rmSync(work, { recursive: true, force: true });

const a = { best: sorted(plain.map((s) => s.wall))[0], median: median(plain.map((s) => s.wall)) };
const b = { best: sorted(http.map((s) => s.wall))[0], median: median(http.map((s) => s.wall)) };
const added = b.median / a.median - 1;
const cpu = (xs) => (xs.every((s) => s.cpu !== undefined) ? median(xs.map((s) => s.cpu)) : undefined);
const [ca, cb] = [cpu(plain), cpu(http)];
const where = ram ? "/dev/shm (RAM)" : "the temporary folder";
console.log(
  `info http_tasks: ${runs} interleaved runs each into ${where}, load average ${before} before, ${after} after; ` +
    `without: best ${a.best.toFixed(3)} s, median ${a.median.toFixed(3)} s; with: best ${b.best.toFixed(3)} s, median ${b.median.toFixed(3)} s (best +${((b.best / a.best - 1) * 100).toFixed(1)}%)` +
    (ca && cb ? `; CPU (user + sys) medians ${ca.toFixed(3)} s -> ${cb.toFixed(3)} s (+${((cb / ca - 1) * 100).toFixed(1)}%)` : "") +
    `; HTTP Task files ${http[0].bytes.toLocaleString("en")} bytes, the largest ${http[0].largest.toLocaleString("en")}`,
);
console.log(
  `${added < target ? "ok  " : "MISS"} http_tasks overhead: GitHub spec with http_tasks = true: median ${b.median.toFixed(3)} s vs ${a.median.toFixed(3)} s without (+${(added * 100).toFixed(1)}%, target < 15%)`,
);
