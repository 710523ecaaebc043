import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { startServeCli, type ServeProcess } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";
import { venvBin } from "../support/toolVenvs.js";

/** Handlers that answer what the orders spec documents (they never choose a 5xx). */
const HANDLERS = join(REPO, "test", "fixtures", "conforming-orders");

/**
 * The checks schemathesis runs on every response. Left out: status_code_conformance, because the
 * gateway's own answers (400 from the request validator, 403 for a route that does not exist) are
 * API Gateway's gateway responses, which the spec does not list; negative_data_rejection and
 * positive_data_acceptance, because API Gateway validates less than the spec says (query and
 * header types, minItems), and serve does as API Gateway does.
 */
const CHECKS = ["not_a_server_error", "response_schema_conformance", "content_type_conformance", "response_headers_conformance"];

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describeWithTools("schemathesis against picofun serve of the orders example (api kind)", ["python", "schemathesis"], () => {
  let dir: string;
  let serve: ServeProcess;
  let st: { code: number | null; out: string };

  beforeAll(async () => {
    dir = tempProject();
    copyFileSync(ORDERS_SPEC, join(dir, "openapi.yaml"));
    mkdirSync(join(dir, "handlers"));
    for (const f of readdirSync(HANDLERS)) copyFileSync(join(HANDLERS, f), join(dir, "handlers", f));
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "orders"', 'spec = "openapi.yaml"', 'kind = "api"', "[api]", 'public_operations = ["tag:orders", "tag:catalog"]'].join("\n") + "\n");
    serve = await startServeCli(dir, [], { PICOFUN_PYTHON: join(REPO, ".cache", "venv", "bin", "python") });
    // Bounded: few examples per operation, a fixed seed, one worker and a hard kill (not --max-time:
    // schemathesis fuzzes until that budget is spent).
    // The stateful phase (links between operations) is left out: thousands of scenarios, minutes on 2 cores.
    st = await run(
      venvBin("schemathesis", "st"),
      ["run", "openapi.yaml", "--url", serve.url, "--checks", CHECKS.join(","), "--phases", "examples,coverage,fuzzing", "--max-examples", "25", "--seed", "29", "--workers", "1", "--request-timeout", "20", "--no-color"],
      dir,
      300_000,
    );
  }, 360_000);

  afterAll(async () => {
    await serve?.stop();
  });

  it("finds no response that breaks the spec and no 5xx (the handlers choose none)", () => {
    expect(st.code, st.out.slice(-8000)).toBe(0);
    expect(st.out).toMatch(/Tested: 6/);
    expect(st.out).toMatch(/\d+ generated, \d+ passed/);
  });

  it("reached every handler: each operation answered a documented 2xx at least once", () => {
    const log = serve.log();
    for (const line of ["GET /orders", "POST /orders", "GET /orders/", "DELETE /orders/", "PUT /orders/", "GET /catalog/items.json"]) {
      const re = new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\S* 20[014] `, "m");
      expect(log, `${line} never answered 2xx`).toMatch(re);
    }
    expect(log).not.toMatch(/^\S+ \S+ 5\d\d /m);
  });

  it("is a real check: a handler that breaks the spec is found", async () => {
    const file = join(dir, "handlers", "listCatalogItems.py");
    const good = readFileSync(file, "utf8");
    writeFileSync(file, good.replace('"name": "Box"', '"name": 7'));
    try {
      const bad = await run(
        venvBin("schemathesis", "st"),
        ["run", "openapi.yaml", "--url", serve.url, "--checks", CHECKS.join(","), "--include-path", "/catalog/items.json", "--phases", "fuzzing", "--max-examples", "5", "--seed", "29", "--workers", "1", "--no-color"],
        dir,
        180_000,
      );
      expect(bad.code, bad.out.slice(-4000)).toBe(1);
      expect(bad.out).toMatch(/Response violates schema/);
    } finally {
      writeFileSync(file, good);
    }
  }, 240_000);
});
