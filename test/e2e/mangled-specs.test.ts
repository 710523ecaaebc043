import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { generate } from "../../src/pipeline/generate.js";
import { isUserError } from "../../src/util/errors.js";
import { REPO } from "../support/env.js";
import { rng } from "../support/random.js";

const SEED = Number(process.env.PICOFUN_SEED ?? 20261121);
const SPECS = [
  "node_modules/@readme/oas-examples/3.0/json/petstore.json",
  "node_modules/@readme/oas-examples/2.0/json/petstore.json",
  "node_modules/@readme/oas-examples/3.1/json/petstore.json",
  "examples/orders/openapi.yaml",
].map((p) => join(REPO, p));
/** Values of the wrong type or shape, put where the spec had something else. */
const WRONG: unknown[] = [null, 0, "", "x", [], {}, true, [null], { $ref: "#/nope" }, { $ref: 5 }, { $ref: "#" }, { $ref: "#/%E0%A4%A" }, { $ref: "#/paths" }, -1, "{", { url: 5 }, { url: "//h/{v}" }];

describe(`mangled documents (seed ${SEED})`, () => {
  it("a document with random parts replaced by wrong types generates or fails with a UserError, never a crash", async () => {
    const next = rng(SEED);
    const crashes: string[] = [];
    let generated = 0;
    let refused = 0;
    for (let round = 0; round < 160; round++) {
      const file = SPECS[round % SPECS.length];
      const doc = parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      const slots: Array<[Record<string, unknown>, string]> = [];
      const walk = (o: unknown, depth: number) => {
        if (!o || typeof o !== "object") return;
        for (const k of Object.keys(o)) {
          slots.push([o as Record<string, unknown>, k]);
          if (depth < 8) walk((o as Record<string, unknown>)[k], depth + 1);
        }
      };
      walk(doc, 0);
      const changes = 1 + Math.floor(next() * 5);
      for (let m = 0; m < changes; m++) {
        const [o, k] = slots[Math.floor(next() * slots.length)];
        o[k] = structuredClone(WRONG[Math.floor(next() * WRONG.length)]);
      }
      const dir = mkdtempSync(join(tmpdir(), "picofun-mangled-"));
      writeFileSync(join(dir, "spec.json"), JSON.stringify(doc));
      try {
        await generate({ cwd: dir, overrides: { namespace: "mangled", spec: join(dir, "spec.json"), outputDir: join(dir, "out") } });
        generated++;
      } catch (err) {
        if (isUserError(err) && !/\n/.test(err.message)) refused++;
        else crashes.push(`${join(dir, "spec.json")}: ${(err as Error).stack}`);
      }
    }
    console.log(`mangled documents: ${generated} generated, ${refused} refused with a UserError`);
    expect(crashes).toEqual([]);
    expect(generated).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
