import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";

// The binary runs from V8's code cache after its first run of a command (src/boot/codeCache.ts);
// the packages it loads on demand (dist/bundle/vendor/) must still load from cached code.
describe("the binary run from its code cache", () => {
  it("bundles an external $ref (swagger-parser, loaded from dist/bundle/vendor/) on every run", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "openapi.yaml"), 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\nservers: [{url: "https://api.example.com"}]\npaths:\n  /a:\n    $ref: "./a.yaml"\n');
    writeFileSync(join(dir, "a.yaml"), 'get:\n  operationId: getA\n  responses: {"200": {description: ok}}\n');
    for (let run = 0; run < 3; run++) {
      const res = await runCli(["ns", "openapi.yaml", "--force"], { cwd: dir });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toBe("");
      expect(existsSync(join(dir, "output", "lambdas", "get_a.py"))).toBe(true);
    }
    expect(readdirSync(join(REPO, ".cache", "v8")).some((n) => n.endsWith(".bin"))).toBe(true);
  });
});
