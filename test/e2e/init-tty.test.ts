import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, runCli } from "../support/cli.js";
import { REQUIRE_E2E } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { hasTmux, TmuxSession } from "../support/tmux.js";
import { writeLargeSpec, writeSecuredSpec } from "../support/wizard.js";

const usable = hasTmux();
if (!usable && !REQUIRE_E2E) console.warn("[skip] wizard in a real terminal: tmux is not installed");
const suite = usable || REQUIRE_E2E ? describe : describe.skip;

suite("the wizard in a real terminal (tmux)", () => {
  let session: TmuxSession | undefined;
  afterEach(() => session?.kill());

  it("asks every question, writes the project and generates", async () => {
    const cwd = tempProject();
    writeSecuredSpec(cwd);
    session = new TmuxSession(`node ${BIN} init`, cwd);
    const t = session;
    await t.answer("OpenAPI spec", "secured.yaml"); // relative to the folder the command ran in
    await t.waitFor("Secure Notes API 2.0.0: 4 operations");
    await t.answer("Namespace", "notes");
    await t.answer("What should picofun build?");
    await t.answer("Lambda runtime", "", "Down"); // python3.12
    await t.answer("Infrastructure as code"); // Terraform
    await t.answer("Step Functions HTTP Tasks", "", "Down"); // yes
    await t.answer("Which endpoints?", "", "Down", "Down"); // pick some
    await t.waitFor("-- notes --");
    await t.answer("Pick endpoints", "", "Space", "Down", "Down", "Space"); // listNotes, getNote
    await t.waitFor("2 of 4 operations selected");
    await t.waitFor("on: HTTP Bearer (bearer)");
    await t.answer("Authentication");
    await t.answer("Cache credentials", "", "BSpace", "1", "0");
    await t.answer("Run the functions in a VPC?");
    await t.answer("Extra Lambda layer ARNs");
    await t.answer("Tags for every resource", "team=core");
    await t.answer("Project folder");
    await t.answer("Output folder");
    await t.waitFor(/endpoints +2 of 4/);
    await t.answer("Write the project and generate?");
    const code = await t.exitCode();
    const screen = t.screen();
    expect(code, screen).toBe(0);
    expect(screen).toContain("2 functions for Secure Notes API in notes/output");
    expect(screen).toContain('--name "/picorun/notes/credentials-http"');

    const project = join(cwd, "notes");
    const toml = parseToml(readFileSync(join(project, "picofun.toml"), "utf8"));
    expect(toml).toMatchObject({
      namespace: "notes",
      spec: "../secured.yaml",
      kind: "client",
      runtime: "python3.12",
      include_endpoints: "include-endpoints.yaml",
      auth: { enabled: true, ttl_minutes: 10 },
      tags: { team: "core" },
      stepfunctions: { http_tasks: true },
    });
    expect(screen).toContain("HTTP Tasks: 2 of 2 endpoints");
    expect(readdirSync(join(project, "output", "stepfunctions", "http")).sort()).toEqual(["notes_get_notes.json", "notes_get_notes_id.json"]);
    expect(readdirSync(join(project, "output", "lambdas")).sort()).toEqual(["get_notes.py", "get_notes_id.py"]);
    expect(readdirSync(join(project, "output", "build", "lambdas")).sort()).toEqual(["notes_get_notes.zip", "notes_get_notes_id.zip"]);
  });

  it("Ctrl+C at a prompt exits 130 without a stack trace and writes nothing", async () => {
    const cwd = tempProject();
    writeSecuredSpec(cwd);
    session = new TmuxSession(`node ${BIN} init demo`, cwd);
    await session.answer("OpenAPI spec", "secured.yaml");
    await session.answer("Namespace");
    await session.waitFor("What should picofun build?");
    session.press("C-c");
    expect(await session.exitCode()).toBe(130);
    const screen = session.screen();
    expect(screen).toContain("picofun: cancelled");
    expect(screen).not.toMatch(/\n\s+at /);
    expect(readdirSync(cwd)).toEqual(["secured.yaml"]);
  });

  it("search: Enter adds the typed match, a pick can be unticked, and an answer is edited at the end", async () => {
    const cwd = tempProject();
    writeLargeSpec(cwd, 120);
    session = new TmuxSession(`node ${BIN} init shop --server-url https://api.example.com`, cwd);
    const t = session;
    await t.answer("OpenAPI spec", "large.json");
    await t.answer("Namespace", "shop");
    await t.answer("What should picofun build?");
    await t.answer("Lambda runtime");
    await t.answer("Infrastructure as code");
    await t.answer("Step Functions HTTP Tasks");
    await t.answer("Which endpoints?", "", "Down", "Down"); // pick some (search)
    await t.waitFor("(0 of 120 picked)");
    t.type("getItem42");
    await t.waitFor(/❯ GET \/items42 /);
    t.press("Enter");
    await t.waitFor("(1 of 120 picked)");
    t.type("items7");
    await t.waitFor(/❯ GET \/items7 /);
    t.press("Enter");
    await t.waitFor("(2 of 120 picked)");
    await t.waitFor("Done (2 picked)");
    t.press("Down"); // ✓ GET /items42: Enter unticks it
    await t.waitFor(/❯ ✓ GET \/items42 /);
    t.press("Enter");
    await t.waitFor("(1 of 120 picked)");
    t.press("Enter"); // Done
    await t.waitFor("1 of 120 operations selected");
    // One prompt line for the whole search, not one per pick.
    expect(t.screen().match(/Search endpoints to add/g) ?? []).toHaveLength(0);
    await t.answer("Run the functions in a VPC?");
    await t.answer("Extra Lambda layer ARNs");
    await t.answer("Tags for every resource");
    await t.answer("Output folder");
    await t.waitFor(/namespace +shop/);
    await t.answer("Write the project and generate?", "", "Down"); // edit an answer first
    await t.answer("Which answer?", "", "Down"); // namespace
    // The questions asked again are already on screen once: wait for the new prompt itself.
    await t.waitFor(/\? Namespace \(prefix of every Lambda function name\): \(shop\)\s*$/);
    t.type("store");
    t.press("Enter");
    await t.waitFor(/namespace +store/);
    await t.waitFor(/\? Write the project and generate\?[^\n]*\n[\s\S]*❯ yes/);
    t.press("Enter");
    const code = await t.exitCode();
    expect(code, t.screen()).toBe(0);
    const toml = parseToml(readFileSync(join(cwd, "shop", "picofun.toml"), "utf8"));
    expect(toml).toMatchObject({ namespace: "store" });
    expect(readdirSync(join(cwd, "shop", "output", "lambdas"))).toEqual(["get_items7.py"]);
  });

  it("a folder given on the command line is checked before the first question; cancel is a plain line", async () => {
    const cwd = tempProject();
    mkdirSync(join(cwd, "taken"));
    writeFileSync(join(cwd, "taken", "notes.txt"), "mine");
    session = new TmuxSession(`node ${BIN} init taken`, cwd);
    await session.waitFor("taken is not empty");
    expect(session.screen()).not.toContain("OpenAPI spec");
    await session.answer("taken is not empty"); // Enter alone: cancel, the default
    expect(await session.exitCode()).toBe(130);
    const screen = session.screen();
    expect(screen).toContain("picofun: cancelled; nothing was written");
    expect(screen).not.toContain("error");
    expect(readdirSync(join(cwd, "taken"))).toEqual(["notes.txt"]);
  });

  it("a stdout pipe with a terminal on stdin is interactive: the prompt is drawn on stderr", async () => {
    const cwd = tempProject();
    const made = await runCli(["init", "shop", "--yes", "--spec", ORDERS_SPEC, "--endpoints", "listOrders"], { cwd });
    expect(made.code, made.stderr).toBe(0);
    session = new TmuxSession(`node ${BIN} add endpoint | cat > piped.txt`, join(cwd, "shop"));
    const t = session;
    await t.waitFor("Endpoint to add");
    t.type("cancel");
    await t.waitFor(/❯ DELETE \/orders\/\{orderId\} \(cancelOrder\)/);
    t.press("Enter");
    expect(await t.exitCode()).toBe(0);
    expect(readFileSync(join(cwd, "shop", "include-endpoints.yaml"), "utf8")).toContain("cancelOrder");
    expect(readFileSync(join(cwd, "shop", "piped.txt"), "utf8")).toMatch(/\(cancelOrder\) added to include-endpoints\.yaml/);
  });
});
