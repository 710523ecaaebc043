#!/usr/bin/env node
// Bench of `picofun serve` next to serverless-offline (issue 28), run by bench/run.mjs or alone
// after npm run build: the same trivial Python handler behind `GET /items` in both, 10
// connections with autocannon, rounds interleaved (picofun, peer, picofun, peer, ...), medians.
// Targets: picofun >= 1.2x the peer's requests per second, picofun p99 < 3 ms.
// The peer (serverless v3 + serverless-offline) is installed on demand into
// .cache/bench-peers/serverless-offline/<versions>/, never into package.json. If it cannot be
// installed or started, a `skip` row says why and picofun's own rows stay. Not a test.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(repo, "bin", "picofun.js");
const python = process.env.PICOFUN_PYTHON ?? "python3";
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_SERVE_ROUNDS ?? 3);
const connections = 10;
// serverless-offline 14 needs serverless v4 (which asks for a login); 13.9 is the last for v3
// and its engines accept Node >= 18.12.
const peerVersions = { serverless: "3.40.0", "serverless-offline": "13.9.0" };
const work = mkdtempSync(join(tmpdir(), "picofun-bench-offline-"));

const handler = `import json\n\n\ndef handler(event, context):\n    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps({"ok": True, "n": len(event)})}\n`;
const rows = [];
function row(ok, text) {
  console.log(`${ok ? "ok  " : "MISS"} serve vs serverless-offline: ${text}`);
  rows.push({ ok });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((l) => l.toFixed(2)).join(", ");

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200 or the child exits or `limitMs` passes; returns an error text or undefined. */
async function ready(url, child, limitMs, log) {
  let exited = false;
  child.once("exit", () => (exited = true));
  const until = Date.now() + limitMs;
  while (Date.now() < until && !exited) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return undefined;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const tail = log().trim().split("\n").slice(-3).join(" | ");
  return `${exited ? "exited" : `no 200 within ${limitMs / 1000} s`}${tail ? `: ${tail}` : ""}`;
}

/** Stops a child started in its own process group (the peer runs Python children through a shell). */
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* gone already */
      }
    }, 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid, "SIGKILL"); // anything the child left behind in its group
      } catch {
        /* nothing left */
      }
      resolve();
    });
    process.kill(-child.pid, "SIGINT");
  });
}

function spawnLogged(cmd, args, opts) {
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err = (err + d).slice(-4000)));
  return { child, log: () => err };
}

// picofun: an api project with one operation, GET /items, and the trivial handler.
async function startPicofun() {
  const dir = join(work, "picofun");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "openapi.yaml"),
    'openapi: 3.0.3\ninfo:\n  title: Bench\n  version: "1"\npaths:\n  /items:\n    get:\n      operationId: listItems\n      responses:\n        "200":\n          description: the items\n',
  );
  writeFileSync(join(dir, "picofun.toml"), 'namespace = "bench"\nspec = "openapi.yaml"\nkind = "api"\n');
  const env = { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: join(work, "cache") };
  const gen = spawnSync(process.execPath, [bin, "generate"], { cwd: dir, env, encoding: "utf8" });
  if (gen.status !== 0) throw new Error(`picofun generate failed: ${gen.stderr}`);
  writeFileSync(join(dir, "handlers", "listItems.py"), handler);
  const port = await freePort();
  const { child, log } = spawnLogged(process.execPath, [bin, "serve", "--port", String(port)], { cwd: dir, env });
  const url = `http://127.0.0.1:${port}/items`;
  const failure = await ready(url, child, 30_000, log);
  if (failure) throw new Error(`picofun serve did not start: ${failure}`);
  return { child, url };
}

/** Installs the peer into the shared cache once per version pair; returns its node_modules. */
function installPeer() {
  const key = Object.entries(peerVersions).map(([n, v]) => `${n}-${v}`).join("_");
  const dir = join(repo, ".cache", "bench-peers", "serverless-offline", key);
  const marker = join(dir, ".installed");
  if (!existsSync(marker)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
    const specs = Object.entries(peerVersions).map(([n, v]) => `${n}@${v}`);
    console.log(`info installing ${specs.join(" and ")} into ${dir} (once)`);
    const res = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", ...specs], { cwd: dir, encoding: "utf8", timeout: 600_000 });
    if (res.status !== 0) {
      const lines = (res.stderr || String(res.error)).trim().split("\n");
      throw new Error(`npm install failed: ${lines.find((l) => !/A complete log|^npm error\s*$/.test(l)) ?? lines[0]}`);
    }
    writeFileSync(marker, `${specs.join(" ")}\n`);
  }
  return join(dir, "node_modules");
}

// The peer: serverless-offline with the same handler, run in its Python child process (no Docker,
// no AWS: `offline start` needs no credentials; telemetry and notifications off, no org/app, so no login).
async function startPeer() {
  const modules = installPeer();
  const version = spawnSync(python, ["-c", "import sys; print(f'python3.{sys.version_info[1]}')"], { encoding: "utf8" }).stdout.trim();
  if (!/^python3\.\d+$/.test(version)) throw new Error(`no ${python} to run the handler`);
  const dir = join(work, "peer");
  mkdirSync(dir);
  symlinkSync(modules, join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "handler.py"), handler);
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, "serverless.yml"),
    `service: bench\nframeworkVersion: "3"\nprovider:\n  name: aws\n  runtime: ${version}\n  region: us-east-1\nplugins:\n  - serverless-offline\ncustom:\n  serverless-offline:\n    host: 127.0.0.1\n    httpPort: ${httpPort}\n    lambdaPort: ${lambdaPort}\n    noPrependStageInUrl: true\n    noAuth: true\nfunctions:\n  items:\n    handler: handler.handler\n    events:\n      - http:\n          path: /items\n          method: get\n`,
  );
  const env = { ...process.env, SLS_TELEMETRY_DISABLED: "1", SLS_TRACKING_DISABLED: "1", SLS_NOTIFICATIONS_MODE: "off", SLS_DEPRECATION_DISABLE: "*", SLS_INTERACTIVE_SETUP_DISABLE: "1", CI: "1" };
  // The peer spawns `python3` (the runtime name up to its first dot) from PATH: put ours first.
  const pyDir = dirname(spawnSync(python, ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim());
  env.PATH = `${pyDir}:${env.PATH}`;
  const { child, log } = spawnLogged(process.execPath, [join(modules, "serverless", "bin", "serverless.js"), "offline", "start"], { cwd: dir, env });
  const url = `http://127.0.0.1:${httpPort}/items`;
  const failure = await ready(url, child, 120_000, log);
  if (failure) {
    await stop(child);
    throw new Error(`serverless offline did not start: ${failure}`);
  }
  return { child, url };
}

const cannon = (url, duration) => autocannon({ url, connections, duration });

console.log(`info load average before (1, 5, 15 min): ${load()}`);
const picofun = await startPicofun();
let peer;
let peerError;
try {
  peer = await startPeer();
} catch (e) {
  peerError = e instanceof Error ? e.message : String(e);
}
// Warm-up (not measured): both start their Python worker processes under the same load.
await cannon(picofun.url, 2);
if (peer) await cannon(peer.url, 2);

const ours = [];
const theirs = [];
for (let i = 0; i < rounds; i++) {
  ours.push(await cannon(picofun.url, seconds));
  if (peer) theirs.push(await cannon(peer.url, seconds));
}
const summary = (runs) => ({
  rps: median(runs.map((r) => r.requests.average)),
  p50: median(runs.map((r) => r.latency.p50)),
  p99: median(runs.map((r) => r.latency.p99)),
  failed: runs.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0),
});
const a = summary(ours);
const line = (name, s) => `${name}: ${s.rps.toFixed(0)} req/s, p50 ${s.p50} ms, p99 ${s.p99} ms, ${s.failed} failed`;
console.log(`     serve vs serverless-offline: ${connections} connections, ${rounds} interleaved rounds of ${seconds} s, medians | ${line("picofun", a)}`);
row(a.p99 < 3 && a.failed === 0, `picofun p99 latency, ${connections} connections: ${a.p99} ms (target < 3 ms)`);
if (peer) {
  const b = summary(theirs);
  console.log(`     serve vs serverless-offline: ${line(`serverless-offline ${peerVersions["serverless-offline"]}`, b)}`);
  const ratio = a.rps / b.rps;
  row(ratio >= 1.2, `requests per second, ${connections} connections: picofun ${a.rps.toFixed(0)} / serverless-offline ${b.rps.toFixed(0)} = ${ratio.toFixed(2)}x (target >= 1.2x)`);
} else {
  console.log(`skip serve vs serverless-offline: the peer is not available (${peerError}); picofun alone: ${a.rps.toFixed(0)} req/s`);
}
// For comparison, not a target: the floor of this machine under its current load, a bare
// node:http server in a process of its own answering the same body (no Python hop), same settings.
{
  const port = await freePort();
  const code = `require("node:http").createServer((q, s) => { s.setHeader("Content-Type", "application/json"); s.end('{"ok": true, "n": 12}'); }).listen(${port}, "127.0.0.1");`;
  const { child, log } = spawnLogged(process.execPath, ["-e", code], {});
  const url = `http://127.0.0.1:${port}/items`;
  if (!(await ready(url, child, 10_000, log))) {
    const f = await cannon(url, seconds);
    console.log(`info floor, a bare node:http server (no handler, no Python), one run of ${seconds} s: ${f.requests.average.toFixed(0)} req/s, p50 ${f.latency.p50} ms, p99 ${f.latency.p99} ms`);
  }
  await stop(child);
}
console.log(`info load average after (1, 5, 15 min): ${load()}`);

await stop(picofun.child);
if (peer) await stop(peer.child);
rmSync(work, { recursive: true, force: true });
const missed = rows.filter((r) => !r.ok).length;
console.log(`serve vs serverless-offline: ${rows.length - missed} of ${rows.length} targets met`);
process.exitCode = missed ? 1 : 0;
