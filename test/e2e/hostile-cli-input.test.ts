import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { BIN, runCli, TEST_CACHE, type CliResult } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { oneErrorLine } from "../support/oneErrorLine.js";

/** runCli with a big stdin the program stops reading (the pipe's EPIPE is expected, not an error). */
function withStdin(args: string[], cwd: string, input: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", PICOFUN_CACHE_DIR: TEST_CACHE } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.on("error", () => undefined);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A client project on the orders example, with `extra` lines in picofun.toml. */
function project(extra = ""): string {
  const dir = tempProject();
  writeFileSync(join(dir, "picofun.toml"), `namespace = "orders"\nspec = ${JSON.stringify(ORDERS_SPEC)}\n${extra}`);
  return dir;
}

describe("hostile input to the CLI: one line, exit 1, nothing echoed or grown (issue 28, lows)", () => {
  it("AWS limits in picofun.toml fail at load, not at terraform plan", async () => {
    for (const [extra, message] of [
      ["log_retention_days = 2", '"log_retention_days" must be one CloudWatch Logs allows'],
      [`layers = [${[1, 2, 3, 4, 5].map((n) => `"arn:aws:lambda:eu-west-1:123456789012:layer:l${n}:1"`).join(", ")}]`, "5 layers or fewer, this config gives it 7"],
      [`[tags]\n${Array.from({ length: 100 }, (_, i) => `k${i} = "v"`).join("\n")}`, "AWS allows 50 tags a resource"],
      ['[tags]\n"aws:team" = "x"', 'starts with "aws:"'],
    ]) {
      const dir = project(extra);
      expect(oneErrorLine(await runCli(["generate"], { cwd: dir }))).toContain(message);
      expect(readdirSync(dir)).toEqual(["picofun.toml"]);
    }
  });

  it("a handlers_dir above the project is refused", async () => {
    const dir = project('kind = "api"\nhandlers_dir = ".."');
    expect(oneErrorLine(await runCli(["generate"], { cwd: dir }))).toMatch(/"handlers_dir" .* is above the project folder/);
  });

  it("a path glob of 3,000 segments is matched, not an internal error", async () => {
    const dir = project('include_endpoints = "include.yaml"');
    writeFileSync(join(dir, "include.yaml"), `paths:\n  - /${Array(3000).fill("*").join("/")}\n  - /orders\n`);
    const res = await runCli(["list", "endpoints"], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("/orders");
  });

  it("include_endpoints of /dev/zero is one line, read no further than 4 MB", async () => {
    const dir = project('include_endpoints = "/dev/zero"');
    // list reads it to select, generate first to fingerprint its inputs, remove to edit it.
    for (const args of [["list", "endpoints"], ["generate"], ["remove", "endpoint", "listOrders"]]) {
      expect(oneErrorLine(await runCli(args, { cwd: dir })), args.join(" ")).toBe(
        "picofun: error: /dev/zero holds more than 4 MB: an include_endpoints allowlist is a short list of paths, operationIds and tags",
      );
    }
  });

  it("--event-file: says what is wrong without echoing the file, and reads at most 6 MB", async () => {
    const dir = project();
    writeFileSync(join(dir, "notes.txt"), "token=hunter2-secret\nsecond line");
    const line = oneErrorLine(await runCli(["invoke", "listOrders", "--event-file", "notes.txt"], { cwd: dir }));
    expect(line).toMatch(/^picofun: error: --event-file notes.txt is not JSON: unexpected character "."$/);
    expect(line).not.toMatch(/hunter2|token=|second/);
    writeFileSync(join(dir, "comma.json"), '{"a": 1,\n "b": 2,}');
    expect(oneErrorLine(await runCli(["invoke", "listOrders", "--event-file", "comma.json"], { cwd: dir }))).toContain("(line 2, column 9)");
    expect(oneErrorLine(await runCli(["invoke", "listOrders", "--event-file", "/dev/zero"], { cwd: dir }))).toBe(
      "picofun: error: --event-file /dev/zero holds more than 6 MB: Lambda takes events up to that size",
    );
    expect(oneErrorLine(await withStdin(["invoke", "listOrders", "-"], dir, " ".repeat(7 * 1024 * 1024)))).toContain("stdin holds more than 6 MB");
  });

  it("events/ as a file, or a dangling link inside it, is named as what it is", async () => {
    const dir = project();
    writeFileSync(join(dir, "events"), "mine");
    expect(oneErrorLine(await runCli(["events"], { cwd: dir }))).toBe(
      "picofun: error: events is a file: picofun writes the example events into a folder of that name; rename or move the file and run again",
    );
    expect(readFileSync(join(dir, "events"), "utf8")).toBe("mine");

    const linked = project();
    symlinkSync(join(linked, "gone"), join(linked, "events"));
    expect(oneErrorLine(await runCli(["events"], { cwd: linked }))).toContain("events is a symbolic link to");

    const inside = project();
    mkdirSync(join(inside, "events"));
    symlinkSync("/nonexistent/target.json", join(inside, "events", "get_orders.json"));
    const res = await runCli(["events"], { cwd: inside });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("kept events/get_orders.json: a symbolic link to /nonexistent/target.json, which does not exist");
    expect(res.stdout).toContain("wrote events/post_orders.json");
  });
});
