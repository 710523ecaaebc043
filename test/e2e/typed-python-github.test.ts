import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { REPO, VENV } from "../support/env.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";
import { writeTypedPython } from "../support/typedProject.js";

const GITHUB = join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");

// API Gateway refuses GitHub's spec as a whole (paths like /compare/{base}...{head}), so the
// files come straight from the typed-handler planner: every operation, every schema.
describeWithTools("typed Python handlers over GitHub's whole spec", ["python"], () => {
  it("glue, models, stubs and tests of all operations pass mypy --strict", async () => {
    const dir = mkdtempSync(join(tmpdir(), "picofun-typed-github-"));
    const doc = JSON.parse(readFileSync(GITHUB, "utf8")) as Record<string, unknown>;
    const { operations } = writeTypedPython(doc, dir);
    expect(operations).toBeGreaterThan(1000);
    expect(readdirSync(join(dir, "output", "handlers_glue", "picofun_api", "ops")).length).toBe(operations + 1);
    const models = readFileSync(join(dir, "output", "handlers_glue", "picofun_api", "models.py"), "utf8");
    // Odd property names are kept as they are; recursive schemas refer to themselves.
    expect(models).toMatch(/"\+1": "Required\[int\]"/);
    const mypy = await runPython(
      [join(VENV, "bin", "mypy"), "--strict", "--cache-dir", join(dir, ".mypy_cache"), "output/handlers_glue/picofun_api", "handlers"],
      "",
      { MYPYPATH: join(dir, "output", "handlers_glue") },
      undefined,
      dir,
    );
    expect(mypy.code, (mypy.stdout + mypy.stderr).slice(0, 4000)).toBe(0);
    expect(mypy.stdout).toMatch(/Success: no issues found in \d+ source files/);
  }, 900_000);
});
