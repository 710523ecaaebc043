import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

describe("spec from an http(s) URL", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const yaml = readFileSync(ORDERS_SPEC, "utf8").replace(/servers:\n(  .*\n)+?(?=tags:)/, "servers:\n  - url: /api/v2\n");
    server = createServer((req, res) => {
      if (req.url === "/specs/orders.yaml") {
        res.writeHead(200, { "content-type": "application/yaml" }).end(yaml);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("loads it and resolves a relative server URL against the spec's URL", async () => {
    const dir = tempProject();
    const res = await runCli(["orders", `${base}/specs/orders.yaml`], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const handler = readFileSync(join(dir, "output", "lambdas", "get_orders.py"), "utf8");
    expect(handler).toContain(`server_url="${base}/api/v2"`);
  });

  it("reports an HTTP error status in one line", async () => {
    const res = await runCli(["orders", `${base}/specs/missing.yaml`], { cwd: tempProject() });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe(`picofun: error: cannot fetch spec ${base}/specs/missing.yaml: HTTP 404`);
  });
});
