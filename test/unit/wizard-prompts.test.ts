import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { screen } from "@inquirer/testing/vitest";
// Imported after @inquirer/testing/vitest so the prompts are the instrumented ones.
import * as prompts from "@inquirer/prompts";
import { askEndpoints, CHECKBOX_LIMIT, type WizardContext } from "../../src/wizard/prompts.js";
import { askAnswers } from "../../src/wizard/flow.js";
import { loadForWizard } from "../../src/wizard/flags.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { writeLargeSpec, writeSecuredSpec } from "../support/wizard.js";

function context(cwd: string): WizardContext & { said: string[] } {
  const said: string[] = [];
  return { p: prompts, cwd, say: (line) => said.push(line), said };
}

/** Types text and presses enter, then waits for the next prompt to show. */
async function answer(text: string): Promise<void> {
  if (text) screen.type(text);
  screen.keypress("enter");
  await screen.next();
}

/** Waits (a bounded number of renders) until the active prompt shows `text`. */
async function until(text: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!screen.getScreen().includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(screen.getScreen()).toContain(text);
}

/** Presses keys then Enter, without waiting for a render (the next `until` waits). */
function keys(...names: string[]): void {
  for (const k of [...names, "enter"]) screen.keypress(k);
}

/** Accepts the spec given by flag and waits out its (asynchronous) check. */
async function answerSpec(): Promise<void> {
  await until("OpenAPI spec");
  screen.keypress("enter");
  await until("Namespace");
}

async function press(...keys: string[]): Promise<void> {
  for (const key of keys) screen.keypress(key);
  screen.keypress("enter");
  await screen.next();
}

describe("wizard prompt flow", () => {
  it("walks every step; flags are defaults; relative paths resolve against the working folder", async () => {
    const cwd = tempProject();
    writeSecuredSpec(cwd);
    const ctx = context(cwd);
    const run = askAnswers(ctx, undefined, {});

    expect(screen.getScreen()).toContain("OpenAPI spec");
    await answer("missing.yaml");
    expect(screen.getScreen()).toMatch(/missing\.yaml/);
    expect(screen.getScreen()).toMatch(/not found|no such|cannot read/i);
    for (let i = 0; i < "missing.yaml".length; i++) screen.keypress("backspace");
    await answer("secured.yaml");
    expect(ctx.said.join("\n")).toContain("Secure Notes API 2.0.0: 4 operations");

    expect(screen.getScreen()).toContain("(secure-notes)");
    await answer("");
    expect(screen.getScreen()).toContain("What should picofun build?");
    await press("down"); // api
    expect(screen.getScreen()).toContain("nodejs22.x");
    expect(screen.getScreen()).not.toContain("python3.11");
    await press("down"); // nodejs22.x
    // Typed handlers are the default (esbuild is found: picofun's own, a development checkout).
    expect(screen.getScreen()).toContain("Handlers:");
    expect(screen.getScreen()).toMatch(/❯ typed TypeScript: handle\(request\)/);
    await press(); // typed TypeScript
    expect(screen.getScreen()).toContain("Infrastructure as code");
    expect(screen.getScreen()).toMatch(/Terraform[\s\S]*CDK/);
    await press("down"); // cdk

    expect(screen.getScreen()).toContain("all 4 operations");
    await press("down"); // by tag
    expect(screen.getScreen()).toContain("notes (3)");
    screen.keypress("space");
    await press(); // notes
    expect(ctx.said).toContain("  3 of 4 operations selected");

    expect(ctx.said.join("\n")).toMatch(/API Gateway enforces apiKey \(API key \(header X-Api-Key\)\).*bearer \(HTTP Bearer\)/);
    expect(screen.getScreen()).not.toContain("Authentication");

    await press("down"); // VPC yes
    await answer("vpc-12");
    expect(screen.getScreen()).toContain("is not a VPC id");
    await answer("34567890");
    await answer("subnet-0123456789abcdef0, subnet-aaaaaaaa");
    await answer("arn:aws:lambda:eu-west-1:123456789012:layer:extra:3");
    await answer("team=core, cost center=42");
    expect(screen.getScreen()).toContain("Project folder");
    await answer("generat");
    expect(screen.getScreen()).toContain('looks like the command "picofun generate"');
    for (let i = 0; i < "generat".length; i++) screen.keypress("backspace");
    await answer("notes-project");
    await answer("");
    expect(ctx.said.join("\n")).toMatch(/endpoints +3 of 4/);
    expect(ctx.said.join("\n")).toMatch(/auth +enforced by API Gateway/);
    expect(ctx.said.join("\n")).toMatch(/kind +api, nodejs22\.x, CDK, typed TypeScript handlers/);
    screen.keypress("enter");
    const { answers } = await run;

    expect(answers).toMatchObject({
      spec: join(cwd, "secured.yaml"),
      namespace: "secure-notes",
      kind: "api",
      runtime: "nodejs22.x",
      language: "typescript",
      iac: "cdk",
      include: { tags: ["notes"], paths: [], operationIds: [], count: 3 },
      auth: { enabled: false, ttlMinutes: 5 },
      vpcId: "vpc-1234567890",
      subnets: ["subnet-0123456789abcdef0", "subnet-aaaaaaaa"],
      layers: ["arn:aws:lambda:eu-west-1:123456789012:layer:extra:3"],
      tags: { team: "core", "cost center": "42" },
      projectDir: join(cwd, "notes-project"),
      outputDir: join(cwd, "notes-project", "output"),
    });
  });

  it("picks endpoints from a checkbox grouped by tag on small specs", async () => {
    const { model } = await loadForWizard(ORDERS_SPEC, process.cwd());
    const run = askEndpoints(context(process.cwd()), model);
    await press("down", "down"); // pick some
    expect(screen.getScreen()).toContain("-- orders --");
    expect(screen.getScreen()).toContain("-- catalog --");
    screen.keypress("space"); // listOrders
    screen.keypress("down");
    screen.keypress("down");
    screen.keypress("space"); // getOrder
    screen.keypress("enter");
    const subset = await run;
    expect(subset).toEqual({ paths: [], operationIds: ["listOrders", "getOrder"], tags: [], count: 2 });
  });

  it("uses the search prompt on large specs: Enter adds the top match, picks can be unticked, tag: selects", async () => {
    const dir = tempProject();
    const total = CHECKBOX_LIMIT + 40;
    const { model } = await loadForWizard(writeLargeSpec(dir, total), dir);
    const run = askEndpoints(context(dir), model);
    expect(screen.getScreen()).toContain(`all ${total} operations`);
    await press("down", "down"); // pick some (search)
    expect(screen.getScreen()).toContain(`0 of ${total} picked`);
    screen.type("getItem42");
    await screen.next();
    expect(screen.getScreen()).toContain("GET /items42");
    await press(); // Enter on a query adds its top match
    expect(screen.getScreen()).toContain(`1 of ${total} picked`);
    screen.type("items7");
    await screen.next();
    expect(screen.getScreen()).toMatch(/❯ GET \/items7 /);
    await press(); // the top match again, never "Done"
    expect(screen.getScreen()).toContain(`2 of ${total} picked`);
    // The prompt line is rewritten, not repeated once per pick.
    expect(screen.getScreen().match(/Search endpoints to add/g)).toHaveLength(1);

    // Without a query: Done first, then the picked ones; Enter on a picked one unticks it.
    expect(screen.getScreen()).toContain("Done (2 picked)");
    await press("down"); // ✓ getItem42
    expect(screen.getScreen()).toContain(`1 of ${total} picked`);
    expect(screen.getScreen()).not.toMatch(/✓ GET \/items42 /);

    screen.type("tag:group3");
    await screen.next();
    expect(screen.getScreen()).toContain(`add all ${total / 5} matching tag:group3`);
    await press();
    expect(screen.getScreen()).toContain(`${1 + total / 5} of ${total} picked`);
    screen.keypress("enter"); // Done leads without a query
    const subset = await run;
    expect(subset?.operationIds[0]).toBe("getItem7");
    expect(subset?.count).toBe(1 + total / 5);
  });

  it("a path glob in the search selects like on the command line", async () => {
    const dir = tempProject();
    const { model } = await loadForWizard(writeLargeSpec(dir, CHECKBOX_LIMIT + 40), dir);
    const run = askEndpoints(context(dir), model);
    await press("down", "down");
    screen.type("/items9*");
    await screen.next();
    expect(screen.getScreen()).toContain("add all 11 matching /items9*");
    await press();
    screen.keypress("enter");
    const subset = await run;
    expect(subset?.count).toBe(11);
  });

  it("checks a folder given on the command line before the first question; cancel is a plain Cancelled", async () => {
    const cwd = tempProject();
    mkdirSync(join(cwd, "taken"));
    writeFileSync(join(cwd, "taken", "notes.txt"), "mine");
    const run = askAnswers(context(cwd), "taken", { spec: ORDERS_SPEC });
    const failed = expect(run).rejects.toMatchObject({ name: "Cancelled", message: "cancelled; nothing was written" });
    expect(screen.getScreen()).toContain("taken is not empty");
    expect(screen.getScreen()).not.toContain("OpenAPI spec");
    expect(screen.getScreen()).toContain("overwrite picofun's files");
    // Enter alone cancels: overwriting is never the default.
    screen.keypress("enter");
    await failed;
  });

  it("an answer can be edited from the summary instead of starting over", async () => {
    const cwd = tempProject();
    const ctx = context(cwd);
    const run = askAnswers(ctx, "proj", { spec: ORDERS_SPEC, namespace: "first" });
    await answerSpec();
    await until("Namespace");
    keys(); // namespace: first
    await until("What should picofun build?");
    keys(); // client
    await until("Lambda runtime");
    keys(); // python3.13
    await until("Infrastructure as code");
    keys(); // Terraform
    await until("Step Functions HTTP Tasks");
    keys(); // no
    await until("Which endpoints?");
    keys(); // all endpoints
    await until("Run the functions in a VPC?");
    keys(); // no VPC
    await until("layer ARNs");
    keys();
    await until("Tags for every resource");
    keys();
    await until("Output folder");
    keys();
    await until("Write the project and generate?");
    expect(ctx.said.join("\n")).toMatch(/namespace +first/);
    keys("down"); // edit an answer first
    await until("Which answer?");
    keys("down"); // namespace
    await until("Namespace");
    for (let i = 0; i < 10; i++) screen.keypress("backspace");
    screen.type("shop");
    keys();
    await until("Write the project and generate?");
    expect(ctx.said.join("\n")).toMatch(/namespace +shop/);
    keys("down"); // edit again: the endpoints
    await until("Which answer?");
    keys("down", "down", "down");
    await until("Which endpoints?");
    keys("down", "down"); // pick some
    await until("Pick endpoints");
    screen.keypress("space");
    screen.keypress("enter"); // listOrders only
    await until("Write the project and generate?");
    screen.keypress("enter"); // yes
    const { answers } = await run;
    expect(answers.namespace).toBe("shop");
    expect(answers.include).toEqual({ paths: [], operationIds: ["listOrders"], tags: [], count: 1 });
    expect(answers.projectDir).toBe(join(cwd, "proj"));
  });
});
