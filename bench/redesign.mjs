#!/usr/bin/env node
// Bench of issue 30 (the deployment-model redesign must not slow generation), run by
// bench/run.mjs or alone after npm run build: GitHub's full generation with a cold model cache
// (a fresh PICOFUN_CACHE_DIR each run) into a RAM disk, this build next to the last build before
// the redesign (commit 8f136a0, main just before the merge cc2033b), runs interleaved, for
// `--iac terraform` and `--iac cdk`; best and median of each. The old build is made once per
// commit into .cache/bench-peers/picofun-<commit>/ (git archive, node_modules hard-linked from
// this checkout when the lockfiles match, else npm ci; then npm run build). If it cannot be
// made or run, a `skip` row says why. Target: this build's median within 5% of the old one's.
// Not a test.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const commit = process.env.BENCH_REDESIGN_BASE ?? "8f136a0";
const githubSource = join(repo, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");
const load = () => loadavg().map((l) => l.toFixed(2)).join(", ");
const tolerance = 0.05;

function run(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28, ...options });
  if (res.status !== 0) {
    const lines = `${res.stderr ?? ""}${res.error ?? ""}`.trim().split("\n").filter(Boolean);
    throw new Error(`${cmd} ${args.join(" ")} failed: ${lines.slice(-2).join(" | ") || `exit ${res.status}`}`);
  }
  return res.stdout;
}

/** Builds the old commit once into the shared cache; returns its bin/picofun.js. */
function oldBuild() {
  const full = run("git", ["rev-parse", "--verify", `${commit}^{commit}`], { cwd: repo }).trim();
  const dir = join(repo, ".cache", "bench-peers", `picofun-${full.slice(0, 12)}`);
  const marker = join(dir, ".built");
  const bin = join(dir, "bin", "picofun.js");
  if (existsSync(marker)) return bin;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`info building picofun ${full.slice(0, 12)} (before the redesign) into ${dir} (once)`);
  const tar = join(dir, "..", `picofun-${full.slice(0, 12)}.tar`);
  run("git", ["archive", "--format=tar", `--output=${tar}`, full], { cwd: repo });
  try {
    run("tar", ["-xf", tar, "-C", dir]);
  } finally {
    rmSync(tar, { force: true });
  }
  const sameLock = readFileSync(join(dir, "package-lock.json"), "utf8") === readFileSync(join(repo, "package-lock.json"), "utf8");
  if (sameLock && existsSync(join(repo, "node_modules"))) {
    // The same lockfile: the same packages, hard-linked (no download, no disk space).
    run("cp", ["-al", join(repo, "node_modules"), join(dir, "node_modules")]);
  } else {
    run("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir, timeout: 900_000 });
  }
  run("npm", ["run", "build"], { cwd: dir, timeout: 600_000 });
  writeFileSync(marker, `${full}\n`);
  return bin;
}

/** One generation: wall seconds and, with GNU time, CPU seconds (user + system). */
function generate(bin, spec, iac, ram) {
  const dir = mkdtempSync(join(ram, "case-"));
  const cache = mkdtempSync(join(ram, "cache-"));
  const env = { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: cache };
  const args = [bin, "github", spec, "--iac", iac];
  const time = existsSync("/usr/bin/time");
  const start = process.hrtime.bigint();
  const res = time
    ? spawnSync("/usr/bin/time", ["-f", "__CPU__%U %S", process.execPath, ...args], { cwd: dir, env, encoding: "utf8", maxBuffer: 1 << 28 })
    : spawnSync(process.execPath, args, { cwd: dir, env, encoding: "utf8", maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  rmSync(dir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
  if (res.status !== 0) throw new Error(`generate --iac ${iac} failed: ${(res.stderr ?? "").trim().split("\n").slice(-2).join(" | ")}`);
  const cpu = /__CPU__([\d.]+) ([\d.]+)/.exec(res.stderr ?? "");
  return { wall, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined };
}

const best = (xs) => Math.min(...xs);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (samples) => {
  const walls = samples.map((s) => s.wall);
  const cpus = samples.map((s) => s.cpu).filter((c) => c !== undefined);
  return { best: best(walls), median: median(walls), cpu: cpus.length ? median(cpus) : undefined };
};
const describe = (s) => `best ${s.best.toFixed(3)} s, median ${s.median.toFixed(3)} s${s.cpu !== undefined ? ` (CPU ${s.cpu.toFixed(2)} s)` : ""}`;

let ram;
try {
  ram = existsSync("/dev/shm") ? mkdtempSync(join("/dev/shm", "picofun-bench-redesign-")) : undefined;
} catch {
  ram = undefined;
}
let missed = 0;
if (!ram) console.log("skip redesign vs pre-redesign build: no RAM disk (/dev/shm)");
else {
  try {
    let oldBin;
    try {
      oldBin = oldBuild();
    } catch (e) {
      console.log(`skip redesign vs pre-redesign build: the build of ${commit} could not be made (${e instanceof Error ? e.message : e})`);
    }
    if (oldBin) {
      const spec = join(ram, "github.json");
      copyFileSync(githubSource, spec);
      const builds = [
        ["this build", join(repo, "bin", "picofun.js")],
        [`pre-redesign ${commit}`, oldBin],
      ];
      for (const iac of ["terraform", "cdk"]) {
        // One untimed run each first: each build writes its compiled-code cache (.cache/v8) once.
        const samples = new Map(builds.map(([name]) => [name, []]));
        let error;
        try {
          for (const [, bin] of builds) generate(bin, spec, iac, ram);
          for (let i = 0; i < runs; i++) for (const [name, bin] of builds) samples.get(name).push(generate(bin, spec, iac, ram));
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
        if (error) {
          console.log(`skip redesign vs pre-redesign build, --iac ${iac}: ${error}`);
          continue;
        }
        const now = stats(samples.get(builds[0][0]));
        const before = stats(samples.get(builds[1][0]));
        const change = now.median / before.median - 1;
        const ok = change <= tolerance;
        if (!ok) missed++;
        console.log(
          `${ok ? "ok  " : "MISS"} redesign, GitHub full generate, cold cache, RAM disk, --iac ${iac}: this build ${describe(now)} | pre-redesign ${commit} ${describe(before)} | ${change >= 0 ? "+" : ""}${(change * 100).toFixed(1)}% (target <= +${tolerance * 100}%; ${runs} interleaved runs, load average ${load()})`,
        );
      }
    }
  } finally {
    rmSync(ram, { recursive: true, force: true });
  }
}
process.exitCode = missed ? 1 : 0;
