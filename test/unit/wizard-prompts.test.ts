import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { screen } from "@inquirer/testing/vitest";
// Imported after @inquirer/testing/vitest so the prompts are the instrumented ones.
import * as prompts from "@inquirer/prompts";
import { askAnswers, askEndpoints, CHECKBOX_LIMIT, type WizardContext } from "../../src/wizard/prompts.js";
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

    expect(screen.getScreen()).toContain("all 4 operations");
    await press("down"); // by tag
    expect(screen.getScreen()).toContain("notes (3)");
    screen.keypress("space");
    await press(); // notes
    expect(ctx.said).toContain("  3 of 4 operations selected");

    expect(ctx.said.join("\n")).toMatch(/apiKey \(API key \(header X-Api-Key\)\).*bearer \(HTTP Bearer\).*implicit \(OAuth2 \(this flow is not supported\)\)/);
    expect(screen.getScreen()).toContain("on: HTTP Bearer (bearer)");
    await press(); // on
    expect(screen.getScreen()).toContain("how many minutes");
    screen.keypress("backspace");
    await answer("15");

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
    expect(ctx.said.join("\n")).toMatch(/auth +HTTP Bearer, cached 15 min/);
    screen.keypress("enter");
    const { answers } = await run;

    expect(answers).toMatchObject({
      spec: join(cwd, "secured.yaml"),
      namespace: "secure-notes",
      kind: "api",
      runtime: "nodejs22.x",
      include: { tags: ["notes"], paths: [], operationIds: [], count: 3 },
      auth: { enabled: true, ttlMinutes: 15 },
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

  it("uses the search prompt on large specs and shows the count", async () => {
    const dir = tempProject();
    const { model } = await loadForWizard(writeLargeSpec(dir, CHECKBOX_LIMIT + 40), dir);
    const run = askEndpoints(context(dir), model);
    expect(screen.getScreen()).toContain(`all ${CHECKBOX_LIMIT + 40} operations`);
    await press("down", "down"); // pick some (search)
    expect(screen.getScreen()).toContain(`0 of ${CHECKBOX_LIMIT + 40} picked`);
    screen.type("getItem42");
    await screen.next();
    expect(screen.getScreen()).toContain("GET /items42");
    await press();
    expect(screen.getScreen()).toContain(`1 of ${CHECKBOX_LIMIT + 40} picked`);
    screen.type("items7");
    await screen.next();
    await press("down"); // first hit after "Done"
    expect(screen.getScreen()).toContain("2 of");
    expect(screen.getScreen()).toContain("Done (2 picked)");
    screen.keypress("enter"); // Done is the first choice
    const subset = await run;
    expect(subset?.operationIds[0]).toBe("getItem42");
    expect(subset?.operationIds).toHaveLength(2);
    expect(subset?.count).toBe(2);
  });

  it("refuses to continue into a non-empty folder when the user cancels", async () => {
    const cwd = tempProject();
    mkdirSync(join(cwd, "taken"));
    writeFileSync(join(cwd, "taken", "notes.txt"), "mine");
    const run = askAnswers(context(cwd), "taken", { spec: ORDERS_SPEC });
    const failed = expect(run).rejects.toMatchObject({ message: expect.stringContaining("cancelled"), exitCode: 130 });
    await answer(""); // spec from the flag
    await answer(""); // namespace
    await press(); // client
    await press(); // python3.13
    await press(); // all endpoints
    await press(); // no VPC (orders has no security schemes: no auth question)
    await answer(""); // layers
    await answer(""); // tags
    await answer(""); // output folder
    expect(screen.getScreen()).toContain("taken is not empty");
    expect(screen.getScreen()).toContain("overwrite picofun's files");
    screen.keypress("down");
    screen.keypress("enter");
    await failed;
  });
});
