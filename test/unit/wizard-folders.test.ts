import { mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { screen } from "@inquirer/testing/vitest";
// Imported after @inquirer/testing/vitest so the prompts are the instrumented ones.
import * as prompts from "@inquirer/prompts";
import fc from "fast-check";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { outputDirProblem, projectDirProblem } from "../../src/wizard/folders.js";
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

  it("property: any typed folder is refused exactly when it is /, the home folder, holds it, or is above the current (or project) folder", () => {
    const cwd = join(tempProject(), "work", "here");
    mkdirSync(cwd, { recursive: true });
    const home = homedir();
    const within = (inner: string, outer: string) => {
      const rel = relative(outer, inner);
      return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
    };
    const part = fc.constantFrom("..", ".", "a", "b c", "-", "~", "", "output");
    const typed = fc.tuple(fc.constantFrom("", "/", `${home}/`, `${cwd}/`), fc.array(part, { maxLength: 6 })).map(([start, parts]) => `${start}${parts.join("/")}`);
    fc.assert(
      fc.property(typed, typed, (p, o) => {
        const projectDir = resolve(cwd, p);
        const problem = projectDirProblem(projectDir, cwd);
        const dangerous = (dir: string, anchors: string[]) => dir === "/" || dir === home || within(home, dir) || anchors.some((a) => within(a, dir));
        expect(problem !== undefined, `${p}: ${problem}`).toBe(dangerous(projectDir, [cwd]));
        if (problem) expect(problem).toMatch(/^project folder .*: picofun will not fill it; choose a folder of its own/);
        const outputDir = resolve(cwd, o);
        const outProblem = outputDirProblem(outputDir, projectDir, cwd);
        expect(outProblem !== undefined, `${o}: ${outProblem}`).toBe(dangerous(outputDir, [cwd, projectDir]));
      }),
      { numRuns: 2000 },
    );
  });
});
