import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { json, startLoopback, type LoopbackServer } from "../support/authServers.js";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { oneErrorLine } from "../support/oneErrorLine.js";
import { invokeHandler } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";

const ALERTS = join(REPO, "test", "fixtures", "swagger2", "alerts.yaml");

describeWithTools("a relative server (Swagger 2.0 basePath, no host) with a host-only --server-url", ["python"], () => {
  let server: LoopbackServer;
  let dir: string;
  beforeAll(async () => {
    server = await startLoopback((_req, res) => json(res, 200, { ok: true }));
    dir = tempProject();
    copyFileSync(ALERTS, join(dir, "alerts.yaml"));
    writeFileSync(join(dir, "picofun.toml"), 'namespace = "am"\nspec = "alerts.yaml"\n');
  });
  afterAll(() => server?.stop());

  it("calls the server under the spec's basePath, and the summary says where calls go", async () => {
    const gen = await runCli(["generate", "--server-url", server.url], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stdout).toContain(`Calls go to ${server.url}/api/v2`);
    expect(gen.stdout).not.toContain("leaves out the path");
    const out = await invokeHandler(join(dir, "output"), "get_status", {});
    expect(out.ok, JSON.stringify(out)).toBe(true);
    const del = await invokeHandler(join(dir, "output"), "delete_silence_silenceID", { path: { silenceID: "0b8c2a1e-58a9-4b6f-9d43-6c1d2f0e7a11" } });
    expect(del.ok, JSON.stringify(del)).toBe(true);
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /api/v2/status", "DELETE /api/v2/silence/0b8c2a1e-58a9-4b6f-9d43-6c1d2f0e7a11"]);
  });

  it("warns when the given URL leaves out the path the spec declares", async () => {
    const gen = await runCli(["generate", "--server-url", `${server.url}/elsewhere`], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stdout).toMatch(/leaves out the path \/api\/v2 of the spec's server \/api\/v2/);
    expect(gen.stdout).toContain(`Calls go to ${server.url}/elsewhere`);
  });

  it("refuses a server URL with a query or fragment in one line, and writes nothing", async () => {
    const fresh = tempProject();
    copyFileSync(ALERTS, join(fresh, "alerts.yaml"));
    writeFileSync(join(fresh, "picofun.toml"), 'namespace = "am"\nspec = "alerts.yaml"\n');
    for (const url of [`${server.url}/base?tenant=1`, `${server.url}/#x`]) {
      const line = oneErrorLine(await runCli(["generate", "--server-url", url], { cwd: fresh }));
      expect(line).toMatch(/^picofun: error: --server-url ".*" is not a valid URL: a base URL cannot have a query/);
    }
    writeFileSync(join(fresh, "picofun.toml"), `namespace = "am"\nspec = "alerts.yaml"\n[server]\nurl = "${server.url}/base?tenant=1"\n`);
    expect(oneErrorLine(await runCli(["generate"], { cwd: fresh }))).toMatch(/\[server\] url ".*" is not a valid URL: a base URL cannot have a query/);
    expect(() => readFileSync(join(fresh, "output", "lambdas", "get_status.py"))).toThrow();
  });

  it("invoke refuses an empty or query-carrying --server-url instead of calling the spec's server", async () => {
    for (const url of ["", " ", `${server.url}?tenant=1`]) {
      const line = oneErrorLine(await runCli(["invoke", "getStatus", "--server-url", url], { cwd: dir }));
      expect(line).toMatch(/^picofun: error: --server-url/);
    }
  });
});
