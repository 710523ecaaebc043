import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { CANARY, scanTypeScript } from "../support/codeScan.js";
import { tempProject } from "../support/generate.js";
import { problems, scanOutput } from "../support/scanOutput.js";
import { describeWithTools } from "../support/skip.js";

/** A one-operation spec with `title` as info.title. */
function specWithTitle(dir: string, title: string): string {
  const file = join(dir, "spec.json");
  const doc = {
    openapi: "3.0.3",
    info: { title, version: "1" },
    servers: [{ url: "https://api.example.com" }],
    paths: { "/orders": { get: { operationId: "listOrders", responses: { "200": { description: "OK" } } } } },
  };
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describeWithTools("a spec's title never becomes code in the CDK TypeScript", ["python"], () => {
  // U+2028 and U+2029 end a line in JavaScript and TypeScript: each would end a `//` comment.
  const titles = [
    `Orders\u2028${CANARY}();\u2028//`,
    `Orders\u2029${CANARY}();\u2029//`,
    `Orders\r${CANARY}();\r//`,
    `Orders */ ${CANARY}(); /*`,
  ];
  for (const kind of ["client", "api"] as const) {
    it(`${kind}: lib/*.ts and app.ts parse, and the canary is only ever in a string or a comment`, async () => {
      for (const title of titles) {
        const dir = tempProject();
        const out = join(dir, "output");
        const r = await runCli(["ns", specWithTitle(dir, title), "--kind", kind, "--iac", "cdk", "--output-dir", out], { cwd: dir });
        expect(r.code, r.stderr).toBe(0);
        const construct = join(out, "lib", kind === "api" ? "ns-api.ts" : "ns-functions.ts");
        for (const file of [construct, join(out, "app.ts")]) {
          const text = readFileSync(file, "utf8");
          const scan = scanTypeScript(file, text);
          expect(scan.errors, `${JSON.stringify(title)} ${file}`).toEqual([]);
          expect(scan.code, `${JSON.stringify(title)} ${file}`).toEqual([]);
          expect(text).not.toMatch(/[\u2028\u2029\r]/);
        }
        // The comment still names the API.
        expect(readFileSync(construct, "utf8").split("\n").slice(0, 3).join("\n")).toContain("Orders");
        expect(problems(await scanOutput([out, join(dir, "handlers")].filter((d) => kind === "api" || d === out)))).toEqual([]);
      }
    });
  }
});
