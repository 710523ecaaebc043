import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { startServeCli, type ServeProcess } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";

const SPEC = join(REPO, "test", "fixtures", "api", "serve.yaml");
const PYTHON = { PICOFUN_PYTHON: join(REPO, ".cache", "venv", "bin", "python") };

/** A handler that waits (up to 20 s) until `n` requests have arrived, then answers with its pid and how many it saw. */
const barrier = (folder: string, n: number) =>
  [
    "import json, os, time, uuid",
    "",
    "def handler(event, context):",
    `    folder = ${JSON.stringify(folder)}`,
    "    open(os.path.join(folder, str(uuid.uuid4())), 'w').close()",
    "    deadline = time.time() + 20",
    `    while len(os.listdir(folder)) < ${n} and time.time() < deadline:`,
    "        time.sleep(0.01)",
    '    return {"statusCode": 200, "body": json.dumps({"pid": os.getpid(), "seen": len(os.listdir(folder))})}',
    "",
  ].join("\n");

const sleepy = `import json, os, time\n\ndef handler(event, context):\n    time.sleep(0.1)\n    return {"statusCode": 200, "body": json.dumps({"pid": os.getpid()})}\n`;

describeWithTools("picofun serve runs Python handlers concurrently (a pool of workers)", ["python"], () => {
  let serve: ServeProcess | undefined;
  afterEach(async () => {
    await serve?.stop();
    serve = undefined;
  });

  function project(handler: (dir: string) => string): string {
    const dir = tempProject();
    copyFileSync(SPEC, join(dir, "serve.yaml"));
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "shop"', 'spec = "serve.yaml"', 'kind = "api"', 'runtime = "python3.13"'].join("\n") + "\n");
    mkdirSync(join(dir, "handlers"));
    mkdirSync(join(dir, "arrived"));
    writeFileSync(join(dir, "handlers", "listItems.py"), handler(dir));
    return dir;
  }

  it("answers requests that wait for each other (a single serial worker could not)", async () => {
    const dir = project((d) => barrier(join(d, "arrived"), 4));
    serve = await startServeCli(dir, [], PYTHON);
    const answers = await Promise.all(Array.from({ length: 4 }, () => fetch(`${serve!.url}/items`).then(async (r) => ({ status: r.status, body: (await r.json()) as { pid: number; seen: number } }))));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.seen).toBeGreaterThanOrEqual(4);
    }
    expect(new Set(answers.map((a) => a.body.pid)).size).toBe(4);
  }, 90_000);

  it("answers 50 concurrent requests, none failing, with no more workers than --workers", async () => {
    const dir = project(() => sleepy);
    serve = await startServeCli(dir, ["--workers", "3"], PYTHON);
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${serve!.url}/items`).then(async (r) => ({ status: r.status, body: (await r.json()) as { pid: number } }))));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const pids = new Set(answers.map((a) => a.body.pid));
    expect(pids.size).toBeGreaterThan(1);
    expect(pids.size).toBeLessThanOrEqual(3);
  }, 90_000);

  it("refuses a --workers that is not a number from 1 to 64", async () => {
    const dir = project(() => sleepy);
    const r = await runCli(["serve", "--workers", "0"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^picofun: error: --workers must be a number from 1 to 64, got "0"\n$/);
  });
});
