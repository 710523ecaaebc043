import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, runCli } from "../support/cli.js";
import { REQUIRE_E2E } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

/**
 * The prompts need a terminal: util-linux `script` gives the CLI a pseudo-terminal. Keys are
 * sent once the screen shows what we wait for.
 */
const hasScript = spawnSync("script", ["--version"]).status === 0;
if (!hasScript && !REQUIRE_E2E) console.warn("[skip] endpoint prompts: util-linux `script` (for a pseudo-terminal) is not installed");
if (!hasScript && REQUIRE_E2E) {
  it("endpoint prompts have util-linux `script` (PICOFUN_REQUIRE_E2E=1)", () => {
    throw new Error("required tool missing: script (util-linux, apt-get install bsdutils)");
  });
}

type Step = { waitFor: RegExp; keys: string };

function inTerminal(args: string[], cwd: string, steps: Step[]): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd, env: { ...process.env, NO_COLOR: "1", TERM: "xterm" } });
    let screen = "";
    let next = 0;
    let seen = 0;
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (d) => {
      screen += d;
      const step = steps[next];
      if (step && step.waitFor.test(screen.slice(seen))) {
        seen = screen.length;
        next++;
        child.stdin.write(step.keys);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}

function project(): string {
  const dir = tempProject();
  copyFileSync(ORDERS_SPEC, join(dir, "openapi.yaml"));
  writeFileSync(join(dir, "picofun.toml"), 'namespace = "orders"\nspec = "openapi.yaml"\ninclude_endpoints = "include.yaml"\n\n[server]\nurl = "https://api.example.com"\n');
  writeFileSync(join(dir, "include.yaml"), "operationIds:\n  - listOrders\n");
  return dir;
}

describe.skipIf(!hasScript)("endpoint prompts in a terminal", () => {
  it("add endpoint without a selector searches the operations not included yet", async () => {
    const dir = project();
    const res = await inTerminal(["add", "endpoint"], dir, [
      // The list is on screen (the search is ready), then the filtered one with cancelOrder first.
      { waitFor: /\(createOrder\)/, keys: "cancel" },
      { waitFor: /❯ DELETE \/orders\/\{orderId\} \(cancelOrder\)/, keys: "\r" },
    ]);
    expect(res.code, res.screen).toBe(0);
    // listOrders is included already, so it is not offered.
    expect(res.screen).not.toMatch(/GET \/orders \(listOrders\)/);
    expect(readFileSync(join(dir, "include.yaml"), "utf8")).toBe("operationIds:\n  - listOrders\n  - cancelOrder\n");
    expect(existsSync(join(dir, "output", "lambdas", "delete_orders_orderId.py"))).toBe(true);
  });

  it("remove endpoint with a glob lists the endpoints and asks first", async () => {
    const dir = project();
    expect((await runCli(["add", "endpoint", "getOrder", "cancelOrder"], { cwd: dir })).code).toBe(0);
    const before = readFileSync(join(dir, "include.yaml"), "utf8");

    const no = await inTerminal(["rm", "endpoint", "/orders/*"], dir, [{ waitFor: /Remove these 2 endpoints\?/, keys: "n\r" }]);
    expect(no.code, no.screen).toBe(0);
    expect(no.screen).toMatch(/GET \/orders\/\{orderId\} \(getOrder\)[\s\S]*DELETE \/orders\/\{orderId\} \(cancelOrder\)/);
    expect(readFileSync(join(dir, "include.yaml"), "utf8")).toBe(before);
    expect(existsSync(join(dir, "output", "lambdas", "get_orders_orderId.py"))).toBe(true);

    const yes = await inTerminal(["rm", "endpoint", "/orders/*"], dir, [{ waitFor: /Remove these 2 endpoints\?/, keys: "y\r" }]);
    expect(yes.code, yes.screen).toBe(0);
    expect(readFileSync(join(dir, "include.yaml"), "utf8")).toBe("operationIds:\n  - listOrders\n");
    expect(existsSync(join(dir, "output", "lambdas", "get_orders_orderId.py"))).toBe(false);
    expect(existsSync(join(dir, "output", "lambdas", "delete_orders_orderId.py"))).toBe(false);
  });
});
