import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { REQUIRE_E2E } from "../support/env.js";
import { hasTmux, TmuxSession } from "../support/tmux.js";

function oneErrorLine(res: { code: number | null; stderr: string }): string {
  expect(res.code, res.stderr).toBe(1);
  const lines = res.stderr.trim().split("\n");
  expect(lines, res.stderr).toHaveLength(1);
  expect(res.stderr).not.toMatch(/\s+at\s.+:\d+:\d+/);
  return lines[0];
}

describe("parser errors: one line in picofun's form, pointing at the command's own help", () => {
  it("a missing argument", async () => {
    const line = oneErrorLine(await runCli(["remove", "endpoint"], { cwd: tempProject() }));
    expect(line).toBe("picofun: error: missing argument <selector> (see picofun remove endpoint --help)");
    expect(oneErrorLine(await runCli(["lint"], { cwd: tempProject() }))).toBe("picofun: error: missing argument <spec> (see picofun lint --help)");
  });

  it("an unknown option, on the root and on a subcommand", async () => {
    expect(oneErrorLine(await runCli(["--bogus"], { cwd: tempProject() }))).toBe("picofun: error: unknown option --bogus (see picofun --help)");
    const sub = oneErrorLine(await runCli(["list", "endpoints", "--nope"], { cwd: tempProject() }));
    expect(sub).toMatch(/^picofun: error: unknown option --nope .*\(see picofun list endpoints --help\)$/);
  });

  it("an option without its value", async () => {
    const line = oneErrorLine(await runCli(["sync", "--debounce"], { cwd: tempProject() }));
    expect(line).toBe("picofun: error: option --debounce <ms> argument missing (see picofun sync --help)");
  });

  it("an option the program and the command both have, without its value, points at the command typed", async () => {
    const cwd = tempProject();
    expect(oneErrorLine(await runCli(["lint", "x.yaml", "--format"], { cwd }))).toBe("picofun: error: option --format <format> argument missing (see picofun lint --help)");
    expect(oneErrorLine(await runCli(["remove", "endpoint", "--config"], { cwd }))).toBe(
      "picofun: error: option -c, --config <file> argument missing (see picofun remove endpoint --help)",
    );
    // A namespace and spec are not commands: the program's own help.
    expect(oneErrorLine(await runCli(["ns", "spec.yaml", "--config"], { cwd }))).toBe("picofun: error: option -c, --config <file> argument missing (see picofun --help)");
  });

  it("help still prints and exits 0", async () => {
    const res = await runCli(["remove", "endpoint", "--help"], { cwd: tempProject() });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Usage: picofun remove endpoint/);
  });
});

describe("--help", () => {
  it("each command shows examples and only its own options", async () => {
    for (const args of [["init"], ["generate"], ["add", "endpoint"], ["remove", "endpoint"], ["lint"], ["templates", "eject"], ["list", "endpoints"], ["serve"]]) {
      const res = await runCli([...args, "--help"], { cwd: tempProject() });
      expect(res.code, args.join(" ")).toBe(0);
      expect(res.stdout, args.join(" ")).toMatch(new RegExp(`\\nExamples:\\n  \\$ picofun ${args[0]}`));
    }
    const init = (await runCli(["init", "--help"], { cwd: tempProject() })).stdout;
    expect(init).not.toContain("Global Options");
    expect(init).not.toContain("--update-spec");
    expect(init).not.toContain("--bundle");
    const lint = (await runCli(["lint", "--help"], { cwd: tempProject() })).stdout;
    expect(lint).not.toContain("--output-dir");
  });
});

describe("outside a project", () => {
  it("every project command says there is no picofun.toml before anything else", async () => {
    for (const args of [[], ["generate"], ["list", "endpoints"], ["add", "endpoint", "getOrder"], ["remove", "endpoint", "getOrder"], ["templates", "list"], ["invoke", "getOrder"], ["serve"]]) {
      const dir = tempProject();
      const line = oneErrorLine(await runCli(args, { cwd: dir }));
      expect(line, args.join(" ")).toMatch(new RegExp(`^picofun: error: no picofun\\.toml in ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: run "picofun init"`));
    }
  });
});

describe("a file in the way of the output folder", () => {
  it("names the file, whether it is the folder itself or a parent", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "afile"), "x\n");
    const parent = oneErrorLine(await runCli(["ns", ORDERS_SPEC, "-o", "afile/sub/out"], { cwd: dir }));
    expect(parent).toBe(`picofun: error: the output folder's parent ${join(dir, "afile")} is a file; choose another output_dir (or --output-dir)`);
    const itself = oneErrorLine(await runCli(["ns", ORDERS_SPEC, "-o", "afile"], { cwd: dir }));
    expect(itself).toBe(`picofun: error: output folder ${join(dir, "afile")} is a file; choose another output_dir (or --output-dir)`);
  });
});

describe("tag selectors", () => {
  it("a tag with no close match lists the spec's tags", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "picofun.toml"), `namespace = "orders"\nspec = "${ORDERS_SPEC}"\n`);
    const line = oneErrorLine(await runCli(["add", "endpoint", "tag:zzzzzz"], { cwd: dir }));
    expect(line).toMatch(/no endpoint of the spec matches "tag:zzzzzz" \(the spec's tags: [a-z]+(, [a-z]+)*\)/);
  });
});

describe("control characters from a spec never reach the terminal", () => {
  const nasty = "Evil\u001b]0;pwned\u0007\u001b[2J\r\u202eTitle\u200b";
  const spec = (title: string, ref = "#/components/parameters/Id") =>
    `openapi: 3.0.3\ninfo: {title: ${JSON.stringify(title)}, version: "1"}\nservers: [{url: "https://x.example.com"}]\n` +
    `paths:\n  /a:\n    get:\n      operationId: getA\n      parameters: [{$ref: ${JSON.stringify(ref)}}]\n      responses: {"200": {description: ok}}\n` +
    `components: {parameters: {Id: {name: id, in: query, schema: {type: string}}}}\n`;
  const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

  it("in the summary", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "s.yaml"), spec(nasty));
    const res = await runCli(["ns", "s.yaml"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toMatch(controls);
    expect(res.stdout).toContain("Evil\\u001b]0;pwned\\u0007");
    expect(res.stdout).toContain("\\u202eTitle\\u200b");
  });

  it("in an error", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "s.yaml"), spec("t", `#/components/parameters/${nasty}`));
    const line = oneErrorLine(await runCli(["ns", "s.yaml"], { cwd: dir }));
    expect(line).toMatch(/points to nothing/);
    expect(line).not.toMatch(controls);
    expect(line).toContain("\\u001b[2J\\u000d\\u202e");
  });
});

const tty = hasTmux();
if (!tty && !REQUIRE_E2E) console.warn("[skip] picofun: error: on a terminal: tmux is not installed");
(tty || REQUIRE_E2E ? describe : describe.skip)("picofun: error: on a terminal", () => {
  let session: TmuxSession | undefined;
  afterEach(() => session?.kill());

  it("is red when stderr is a terminal, plain when NO_COLOR is set", async () => {
    const dir = tempProject();
    mkdirSync(join(dir, "x"));
    session = new TmuxSession(`node ${BIN} lint nope.yaml; NO_COLOR=1 node ${BIN} lint nope.yaml`, dir, { NO_COLOR: "", FORCE_COLOR: "" });
    await session.exitCode();
    const screen = session.screen(true);
    expect(screen).toMatch(/\u001b\[31mpicofun: error:\u001b\[39m spec file not found/);
    expect(screen).toMatch(/^picofun: error: spec file not found/m);
  });
});
