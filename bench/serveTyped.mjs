#!/usr/bin/env node
// Bench of `picofun serve` with typed TypeScript handlers (issue 31; run by bench/run.mjs, or alone
// after npm run build): the orders example's handlers of docs/api-mode.md (a shared module,
// handlers/lib/store.ts, and nanoid), first answer with the new code after an edit of the shared
// module. nanoid is put in handlers/node_modules from picofun's own, with no package.json, so the
// bench needs no network (picofun would otherwise install handlers/package.json from the registry).
// Not a test.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(repo, "bin", "picofun.js");
const work = mkdtempSync(join(tmpdir(), "picofun-bench-serve-typed-"));
cpSync(join(repo, "examples", "orders", "openapi.yaml"), join(work, "openapi.yaml"));
writeFileSync(join(work, "picofun.toml"), 'namespace = "orders"\nspec = "openapi.yaml"\nkind = "api"\nruntime = "nodejs22.x"\n\n[api]\nlanguage = "typescript"\n');
cpSync(join(repo, "examples", "orders", "typed", "typescript"), join(work, "handlers"), { recursive: true });
rmSync(join(work, "handlers", "package.json"));
mkdirSync(join(work, "handlers", "node_modules"));
cpSync(join(repo, "node_modules", "nanoid"), join(work, "handlers", "node_modules", "nanoid"), { recursive: true, dereference: true });
const env = { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: join(work, "cache") };
const gen = spawnSync(process.execPath, [bin, "generate"], { cwd: work, env, encoding: "utf8" });
if (gen.status !== 0) throw new Error(gen.stderr);

const rows = [];
function record(name, value, target) {
  const ok = value <= target;
  console.log(`${ok ? "ok  " : "MISS"} serve typed: ${name}: ${value.toFixed(1)} ms (target <= ${target} ms)`);
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

const order = JSON.stringify({ customer: "ada", items: [{ sku: "tea", quantity: 2 }] });
const post = (url) => fetch(`${url}/orders`, { method: "POST", headers: { "X-Request-Id": "bench", "Content-Type": "application/json" }, body: order });

const port = await freePort();
const child = spawn(process.execPath, [bin, "serve", "--port", String(port), "--no-watch"], { cwd: work, env, stdio: ["ignore", "ignore", "inherit"] });
const url = `http://127.0.0.1:${port}`;
for (;;) {
  try {
    const res = await post(url);
    await res.arrayBuffer();
    if (res.status === 201) break;
  } catch {
    /* not listening yet */
  }
  await new Promise((r) => setTimeout(r, 10));
}
// Warm: a few answers with the code as it is.
for (let i = 0; i < 5; i++) await (await post(url)).arrayBuffer();

// The shared module edited (the id prefix), then the first POST /orders: its id shows the new code.
const store = join(work, "handlers", "lib", "store.ts");
const original = readFileSync(store, "utf8");
const edits = [];
const steady = [];
for (let i = 0; i < 7; i++) {
  writeFileSync(store, original.replace('"o-" + ', `"e${i}-" + `));
  const t = performance.now();
  const res = await post(url);
  const body = await res.json();
  edits.push(performance.now() - t);
  if (!String(body.id).startsWith(`e${i}-`)) throw new Error(`the edit was not picked up: ${JSON.stringify(body)}`);
  const s = performance.now();
  await (await post(url)).arrayBuffer();
  steady.push(performance.now() - s);
}
record("first answer with the new code after a shared-module edit (median of 7)", median(edits), 300);
console.log(`info serve typed: the next request, nothing edited: median ${median(steady).toFixed(1)} ms`);

await new Promise((resolve) => {
  child.once("exit", resolve);
  child.kill("SIGINT");
});
rmSync(work, { recursive: true, force: true });
const missed = rows.filter((r) => !r.ok).length;
console.log(`serve typed: ${rows.length - missed} of ${rows.length} targets met`);
process.exitCode = missed ? 1 : 0;
