import { mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { screen } from "@inquirer/testing/vitest";
// Imported after @inquirer/testing/vitest so the prompts are the instrumented ones.
import * as prompts from "@inquirer/prompts";
import { askFolders, confirmNonEmpty, type WizardContext } from "../../src/wizard/prompts.js";
import { tempProject } from "../support/generate.js";

function context(cwd: string): WizardContext {
  return { p: prompts, cwd, say: () => undefined };
}

async function until(text: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!screen.getScreen().includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(screen.getScreen()).toContain(text);
}

function erase(n: number): void {
  for (let i = 0; i < n; i++) screen.keypress("backspace");
}

describe("wizard folders (issue 28, medium 10 and the output-folder low)", () => {
  it("asks again for a project folder that is /, the home folder or above the current one", async () => {
    const cwd = join(tempProject(), "work");
    mkdirSync(cwd);
    const run = askFolders(context(cwd), "shop");
    await until("Project folder");
    for (const [typed, reason] of [["/", "is the root of the file system"], [homedir(), "is your home folder"], ["..", "is above the current folder"]]) {
      screen.type(typed);
      screen.keypress("enter");
      await until(reason);
      expect(screen.getScreen()).toContain("Project folder");
      erase(typed.length);
    }
    screen.type("shop");
    screen.keypress("enter");
    await until("Output folder");
    for (const [typed, reason] of [["/", "is the root of the file system"], [homedir(), "is your home folder"], ["..", "is above the project folder"]]) {
      screen.type(typed);
      screen.keypress("enter");
      await until(reason);
      erase(typed.length);
    }
    screen.keypress("enter"); // the default, shop/output
    expect(await run).toEqual({ projectDir: join(cwd, "shop"), outputDir: join(cwd, "shop", "output") });
  });

  it("a folder that is not empty: Enter alone cancels, overwriting is never the default", async () => {
    const cwd = tempProject();
    writeFileSync(join(cwd, "notes.txt"), "mine");
    const run = confirmNonEmpty(context(cwd), cwd);
    const failed = expect(run).rejects.toMatchObject({ name: "Cancelled" });
    await until("is not empty");
    screen.keypress("enter");
    await failed;
  });
});
