import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it, vi } from "vitest";
import { tempProject } from "../support/generate.js";

/**
 * ENOTEMPTY: another program fills a folder picofun is about to move into place. The first
 * write of the run (its manifest) is where that other program strikes, on the real disk.
 */
const intrude = vi.hoisted(() => ({ into: "" }));
vi.mock("../../src/write/atomic.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/write/atomic.js")>();
  return {
    ...real,
    writeFileAtomic: (path: string, data: string | Uint8Array, mode?: number) => {
      if (intrude.into) {
        mkdirSync(join(intrude.into, "lambdas"), { recursive: true });
        writeFileSync(join(intrude.into, "lambdas", "theirs.py"), "# another program's file\n");
        intrude.into = "";
      }
      return real.writeFileAtomic(path, data, mode);
    },
  };
});

const { writeOutput } = await import("../../src/write/output.js");

it("a folder filled by another program meanwhile is one line naming it, and its files are kept", async () => {
  const out = join(tempProject(), "output");
  intrude.into = out;
  const files = new Map<string, string>([
    ["lambdas/get_a.py", "A = 1\n"],
    ["main.tf", "# main\n"],
  ]);
  await expect(writeOutput(out, files)).rejects.toThrow(
    `${join(out, "lambdas")} changed while picofun was writing (another program writing there?): let it finish and run again (ENOTEMPTY)`,
  );
  expect(existsSync(join(out, "lambdas", "theirs.py"))).toBe(true);
  // The next run finishes the job around the other program's file.
  const report = await writeOutput(out, files);
  expect(report.written).toEqual(["lambdas/get_a.py", "main.tf"]);
  expect(report.keptEdited).toEqual([]);
  expect(existsSync(join(out, "lambdas", "theirs.py"))).toBe(true);
});
