import { join } from "node:path";
import { expect, it } from "vitest";
import { REPO } from "../support/env.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";

describeWithTools("picorun runtime (pytest)", ["python"], () => {
  it("passes its own pytest suite against a loopback HTTP server", async () => {
    const res = await runPython(["-m", "pytest", "-q", "-p", "no:cacheprovider", join(REPO, "test", "python")], "", { PYTHONDONTWRITEBYTECODE: "1" });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const summary = res.stdout.trim().split("\n").pop() ?? "";
    console.log(`pytest: ${summary}`);
    expect(summary).toMatch(/\d+ passed/);
    expect(summary).not.toMatch(/failed|error/);
  }, 120_000);

  it("the runtime package passes ruff", async () => {
    const dir = join(REPO, "templates", "client", "layer");
    const check = await runPython(["-m", "ruff", "check", "--no-cache", dir]);
    expect(check.code, check.stdout).toBe(0);
    const format = await runPython(["-m", "ruff", "format", "--check", "--no-cache", dir]);
    expect(format.code, format.stdout).toBe(0);
  });
});
