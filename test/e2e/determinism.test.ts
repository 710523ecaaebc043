import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { REPO } from "../support/env.js";
import { treeHashes } from "../support/tree.js";


describe("determinism and safe rewrites", () => {
  it("two generations from the same input are byte-identical, zips included", async () => {
    const a = tempProject();
    const b = tempProject();
    for (const dir of [a, b]) {
      const res = await runCli(["orders", ORDERS_SPEC, "--server-url", "https://api.example.com"], { cwd: dir });
      expect(res.code, res.stderr).toBe(0);
    }
    const ha = treeHashes(join(a, "output"));
    const hb = treeHashes(join(b, "output"));
    expect(Object.keys(ha).filter((f) => f.endsWith(".zip")).length).toBe(7);
    expect(ha).toEqual(hb);
  });

  it("a big first generation (staging folder) equals the same files written into an existing folder", async () => {
    const github = join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");
    const fresh = tempProject();
    const existing = tempProject();
    // A folder that is not empty is not a first generation: its files are compared and written one by one.
    mkdirSync(join(existing, "output"));
    writeFileSync(join(existing, "output", "NOTES.md"), "mine\n");
    for (const dir of [fresh, existing]) {
      const res = await runCli(["github", github], { cwd: dir });
      expect(res.code, res.stderr).toBe(0);
    }
    const a = treeHashes(join(fresh, "output"));
    const b = treeHashes(join(existing, "output"));
    delete b["NOTES.md"];
    expect(Object.keys(a).filter((f) => f.startsWith("lambdas/")).length).toBe(1223);
    const withoutManifest = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([f]) => f !== ".picofun-manifest.json"));
    expect(withoutManifest(a)).toEqual(withoutManifest(b));
    const files = (dir: string) => (JSON.parse(readFileSync(join(dir, "output", ".picofun-manifest.json"), "utf8")) as { files: object }).files;
    expect(files(fresh)).toEqual(files(existing));
  });

  it("a re-run with nothing changed rewrites nothing", async () => {
    const dir = tempProject();
    const args = ["orders", ORDERS_SPEC, "--server-url", "https://api.example.com"];
    await runCli(args, { cwd: dir });
    const out = join(dir, "output");
    const before = Object.fromEntries(Object.keys(treeHashes(out)).map((f) => [f, statSync(join(out, f)).mtimeMs]));
    await new Promise((r) => setTimeout(r, 20));
    const res = await runCli(args, { cwd: dir });
    expect(res.stdout).toMatch(/0 written, \d+ unchanged, 0 removed/);
    const after = Object.fromEntries(Object.keys(treeHashes(out)).map((f) => [f, statSync(join(out, f)).mtimeMs]));
    expect(after).toEqual(before);
  });

  it("keeps hand edits and foreign files, and removes files it no longer generates", async () => {
    const dir = tempProject();
    const out = join(dir, "output");
    await runCli(["orders", ORDERS_SPEC, "--server-url", "https://api.example.com"], { cwd: dir });
    writeFileSync(join(out, "lambdas", "get_orders.py"), "# mine\n");
    writeFileSync(join(out, "notes.md"), "my notes\n");
    writeFileSync(join(dir, "include.yaml"), "operationIds: [getOrder, listOrders]\n");
    writeFileSync(join(dir, "picofun.toml"), 'include_endpoints = "include.yaml"\n');
    const res = await runCli(["orders", ORDERS_SPEC, "--server-url", "https://api.example.com"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/lambdas\/get_orders.py was edited by hand: left as it is/);
    expect(readFileSync(join(out, "lambdas", "get_orders.py"), "utf8")).toBe("# mine\n");
    expect(readFileSync(join(out, "notes.md"), "utf8")).toBe("my notes\n");
    const files = Object.keys(treeHashes(out));
    expect(files).not.toContain("lambdas/post_orders.py");
    expect(files).not.toContain("build/lambdas/orders_post_orders.zip");
    expect(files).toContain("lambdas/get_orders_orderId.py");
    const forced = await runCli(["orders", ORDERS_SPEC, "--server-url", "https://api.example.com", "--force"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(out, "lambdas", "get_orders.py"), "utf8")).toMatch(/ENDPOINT = Endpoint\(/);
  });
});
