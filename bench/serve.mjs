#!/usr/bin/env node
// Bench of `picofun serve` (run by bench/run.mjs, or alone after npm run build): overhead per
// request over calling the handler in-process, first request after a handler edit, start-up to
// the first answer, and 50 concurrent connections for 10 s with autocannon (a fast handler, then
// one that waits 100 ms). Not a test.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(repo, "bin", "picofun.js");
const work = mkdtempSync(join(tmpdir(), "picofun-bench-serve-"));
cpSync(join(repo, "examples", "orders", "openapi.yaml"), join(work, "openapi.yaml"));
writeFileSync(join(work, "picofun.toml"), 'namespace = "orders"\nspec = "openapi.yaml"\nkind = "api"\n');
const env = { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: join(work, "cache") };
const gen = spawnSync(process.execPath, [bin, "generate"], { cwd: work, env, encoding: "utf8" });
if (gen.status !== 0) throw new Error(gen.stderr);
const handler = (tag) => `import json\n\n\ndef handler(event, context):\n    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps({"tag": "${tag}", "n": len(event)})}\n`;
writeFileSync(join(work, "handlers", "listCatalogItems.py"), handler("v1"));

const rows = [];
function record(name, value, target, unit = "ms", better = "<=") {
  const ok = target === undefined || (better === "<=" ? value <= target : value >= target);
  console.log(`${ok ? "ok  " : "MISS"} serve: ${name}: ${value.toFixed(unit === "ms" ? 2 : 0)} ${unit}${target === undefined ? "" : ` (target ${better} ${target} ${unit})`}`);
  rows.push({ name, ok });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function start() {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [bin, "serve", "--port", String(port)], { cwd: work, env, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      const res = await fetch(`${url}/catalog/items.json?category=books`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, url, startup: performance.now() - started };
}

function stop(child) {
  return new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGINT");
  });
}

// Start-up to the first answer (the project is generated already, as after the first serve).
const startups = [];
for (let i = 0; i < 3; i++) {
  const s = await start();
  startups.push(s.startup);
  await stop(s.child);
}
record("start-up to the first answer (median of 3)", median(startups), 1000);

const { child, url } = await start();
// In-process: the same handler called in a loop by python itself.
const inproc = spawnSync(
  process.env.PICOFUN_PYTHON ?? "python3",
  ["-c", `import importlib.util, json, sys, time\nspec = importlib.util.spec_from_file_location("h", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\nev = json.loads(sys.argv[2])\nts = []\nfor _ in range(300):\n    t = time.perf_counter(); m.handler(ev, None); ts.append((time.perf_counter() - t) * 1000)\nts.sort(); print(ts[len(ts) // 2])`, join(work, "handlers", "listCatalogItems.py"), JSON.stringify({ resource: "/catalog/items.json", headers: {}, requestContext: {} })],
  { encoding: "utf8" },
);
const inProcessMs = Number(inproc.stdout.trim());
const through = [];
for (let i = 0; i < 300; i++) {
  const t = performance.now();
  const res = await fetch(`${url}/catalog/items.json?category=books`);
  await res.arrayBuffer();
  if (i >= 20) through.push(performance.now() - t);
}
record(`overhead per request, warm (median ${median(through).toFixed(2)} ms through serve - ${inProcessMs.toFixed(3)} ms in-process)`, median(through) - inProcessMs, 5);

// First request after an edit of the handler.
const edits = [];
for (let i = 0; i < 5; i++) {
  writeFileSync(join(work, "handlers", "listCatalogItems.py"), handler(`edit-${i}`));
  const t = performance.now();
  const res = await fetch(`${url}/catalog/items.json?category=books`);
  const body = await res.json();
  edits.push(performance.now() - t);
  if (body.tag !== `edit-${i}`) throw new Error(`the edit was not picked up: ${JSON.stringify(body)}`);
}
record("first request after a handler edit (median of 5)", median(edits), 500);

// 50 concurrent connections for 10 s.
const load = await autocannon({ url: `${url}/catalog/items.json?category=books`, connections: 50, duration: Number(process.env.BENCH_LOAD_SECONDS ?? 10) });
const failed = load.errors + load.timeouts + load.non2xx;
console.log(`     serve: autocannon 50 connections ${load.duration} s: ${load.requests.total} requests, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, ${load.requests.average} req/s`);
record("failed requests under 50 concurrent connections", failed, 0, "requests");

// The same with a handler that waits 100 ms (I/O-bound, like one calling another service): the
// pool of Python workers keeps requests from queueing behind one process.
writeFileSync(join(work, "handlers", "listCatalogItems.py"), `import json\nimport time\n\n\ndef handler(event, context):\n    time.sleep(0.1)\n    return {"statusCode": 200, "body": json.dumps({"n": len(event)})}\n`);
const slow = await autocannon({ url: `${url}/catalog/items.json?category=books`, connections: 50, duration: Number(process.env.BENCH_LOAD_SECONDS ?? 10) });
console.log(`     serve: autocannon 50 connections ${slow.duration} s, 100 ms handler: ${slow.requests.total} requests, p50 ${slow.latency.p50} ms, p99 ${slow.latency.p99} ms, ${slow.requests.average} req/s`);
record("failed requests under 50 concurrent connections, 100 ms handler", slow.errors + slow.timeouts + slow.non2xx, 0, "requests");

await stop(child);
rmSync(work, { recursive: true, force: true });
const missed = rows.filter((r) => !r.ok).length;
console.log(`serve: ${rows.length - missed} of ${rows.length} targets met`);
process.exitCode = missed ? 1 : 0;
