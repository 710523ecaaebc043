import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { watchRun } from "../support/syncWatch.js";
import { readZip } from "../support/zip.js";

const PETSTORE = join(REPO, "test", "fixtures", "api", "petstore.yaml");
const LINE = (what: string) => new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\] ${what}$`, "m");

function zipOf(dir: string, fn: string): Map<string, Buffer> {
  return readZip(readFileSync(join(dir, "output", "build", "lambdas", `${fn}.zip`)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("picofun sync --watch: handler files", () => {
  it("a changed handler is repackaged with one timestamped line; saves that change nothing and other files start no cycle", async () => {
    const dir = tempProject();
    copyFileSync(PETSTORE, join(dir, "petstore.yaml"));
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "pets"', 'spec = "petstore.yaml"', 'kind = "api"'].join("\n") + "\n");
    const run = watchRun(dir);
    const handlers = join(dir, "handlers");
    const cycles = () => (run.output().match(/^\[\d\d:\d\d:\d\d\] /gm) ?? []).length;
    try {
      await run.waitFor(/Watching .*handlers\/ \(Ctrl\+C stops\)/, 1);
      const showZip = readFileSync(join(dir, "output", "build", "lambdas", "pets_showPetById.zip"));

      const stub = join(handlers, "listPets.py");
      writeFileSync(stub, `${readFileSync(stub, "utf8")}\nMARKER = "v2"\n`);
      await run.waitFor(LINE("handlers/listPets\\.py changed: 1 zip rebuilt"), 1);
      expect(zipOf(dir, "pets_listPets").get("listPets.py")!.toString()).toBe(readFileSync(stub, "utf8"));
      // Only that function's zip was rebuilt.
      expect(readFileSync(join(dir, "output", "build", "lambdas", "pets_showPetById.zip")).equals(showZip)).toBe(true);

      // The same content saved again, and a file no function packages: nothing to do.
      writeFileSync(stub, readFileSync(stub));
      writeFileSync(join(handlers, "notes.txt"), "mine\n");
      await sleep(1_000);
      expect(cycles()).toBe(1);

      // Two handlers saved together: one cycle, both named.
      for (const name of ["postPets.py", "showPetById.py"]) writeFileSync(join(handlers, name), `${readFileSync(join(handlers, name), "utf8")}\n# edited\n`);
      await run.waitFor(LINE("handlers/postPets\\.py, handlers/showPetById\\.py changed: 2 zips rebuilt"), 1);
      expect(zipOf(dir, "pets_postPets").get("postPets.py")!.toString()).toMatch(/# edited\n$/);

      // A deleted stub comes back (fresh), and its zip holds it again.
      rmSync(join(handlers, "showPetById.py"));
      await run.waitFor(LINE("handlers/showPetById\\.py changed: 1 zip rebuilt, 1 stub created again"), 1);
      expect(zipOf(dir, "pets_showPetById").get("showPetById.py")!.toString()).not.toMatch(/# edited/);
      expect(cycles()).toBe(3);
      // A broken handler is still packaged: picofun does not run it. The line says what happened.
      writeFileSync(stub, "def handler(:\n");
      await run.waitFor(LINE("handlers/listPets\\.py changed: 1 zip rebuilt"), 2);
    } finally {
      expect(await run.stop()).toBe(0);
    }
    expect(run.output()).toMatch(/Stopped watching\n$/);
    expect(run.output()).not.toMatch(/error/);
  });
});
