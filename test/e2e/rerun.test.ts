import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

/** Unchanged re-runs skip the work; anything that changes an input makes a real run. */
describe("re-runs with nothing changed", () => {
  const args = ["orders", ORDERS_SPEC, "--server-url", "https://api.example.com"];

  it("reports the same summary, still warns about hand edits, and regenerates deleted files", async () => {
    const dir = tempProject();
    const out = join(dir, "output");
    const first = await runCli(args, { cwd: dir, env: { PICOFUN_TIMINGS: "1" } });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/then: Rendering templates/);

    const again = await runCli(args, { cwd: dir, env: { PICOFUN_TIMINGS: "1" } });
    expect(again.stderr).toMatch(/done \(nothing changed\)/);
    expect(again.stderr).not.toMatch(/Rendering templates/);
    expect(again.stdout).toMatch(/6 functions for Orders API/);
    // 54: includes the authentication runtime (picorun/credentials.py, oauth.py, refresh.py), body.py and redact.py,
    // request.py and version.py, build.py, headers.py, payload.py and response.py, and the Step Functions files.
    expect(again.stdout).toMatch(/0 written, 54 unchanged, 0 removed/);

    writeFileSync(join(out, "lambdas", "get_orders.py"), "# mine\n");
    const edited = await runCli(args, { cwd: dir, env: { PICOFUN_TIMINGS: "1" } });
    expect(edited.stderr).toMatch(/done \(nothing changed\)/);
    expect(edited.stdout).toMatch(/lambdas\/get_orders.py was edited by hand: left as it is/);
    expect(readFileSync(join(out, "lambdas", "get_orders.py"), "utf8")).toBe("# mine\n");

    rmSync(join(out, "lambdas", "post_orders.py"));
    const deleted = await runCli(args, { cwd: dir, env: { PICOFUN_TIMINGS: "1" } });
    expect(deleted.stderr).toMatch(/Rendering templates/);
    expect(readFileSync(join(out, "lambdas", "post_orders.py"), "utf8")).toMatch(/ENDPOINT = Endpoint\(/);
    expect(readFileSync(join(out, "lambdas", "get_orders.py"), "utf8")).toBe("# mine\n");

    const forced = await runCli([...args, "--force"], { cwd: dir, env: { PICOFUN_TIMINGS: "1" } });
    expect(forced.stderr).toMatch(/Rendering templates/);
    expect(readFileSync(join(out, "lambdas", "get_orders.py"), "utf8")).toMatch(/ENDPOINT = Endpoint\(/);
  });

  it("a changed allowlist, config or spec makes a real run", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "include.yaml"), "operationIds: [getOrder]\n");
    writeFileSync(join(dir, "picofun.toml"), 'include_endpoints = "include.yaml"\n');
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, readFileSync(ORDERS_SPEC, "utf8"));
    const run = () => runCli(["orders", spec, "--server-url", "https://api.example.com"], { cwd: dir, env: { PICOFUN_TIMINGS: "1" } });
    expect((await run()).stdout).toMatch(/1 functions/);
    writeFileSync(join(dir, "include.yaml"), "operationIds: [getOrder, listOrders]\n");
    const more = await run();
    expect(more.stderr).toMatch(/Rendering templates/);
    expect(more.stdout).toMatch(/2 functions/);
    writeFileSync(join(dir, "picofun.toml"), 'include_endpoints = "include.yaml"\ntimeout = 10\n');
    expect((await run()).stderr).toMatch(/Rendering templates/);
    writeFileSync(spec, readFileSync(ORDERS_SPEC, "utf8").replace("Get one order", "Get a single order"));
    const changed = await run();
    expect(changed.stderr).toMatch(/Rendering templates/);
    expect(readFileSync(join(dir, "output", "lambdas", "get_orders_orderId.py"), "utf8")).toContain("Get a single order");
    expect((await run()).stderr).toMatch(/done \(nothing changed\)/);
  });
});
