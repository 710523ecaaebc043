import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { expect, it } from "vitest";
import { generate } from "../../src/pipeline/generate.js";
import { tempProject } from "../support/generate.js";
import { hostileSpec, hostileTexts, type Texts } from "../support/hostileSpec.js";
import { problems, scanOutput } from "../support/scanOutput.js";
import { describeWithTools } from "../support/skip.js";

const SEED = Number(process.env.PICOFUN_SEED ?? 20261206);
/** Kept small: each run generates six projects. PICOFUN_FC_RUNS raises it for a longer search. */
const RUNS = Number(process.env.PICOFUN_FC_RUNS ?? 6);

const COMBOS = [
  { kind: "client", iac: "terraform" },
  { kind: "client", iac: "cdk" },
  { kind: "api", iac: "terraform", runtime: "python3.12" },
  { kind: "api", iac: "cdk", runtime: "python3.12" },
  { kind: "api", iac: "terraform", runtime: "nodejs20.x" },
  { kind: "api", iac: "cdk", runtime: "nodejs20.x" },
] as const;

/** Generates every kind x IaC (x handler language) from the texts; the files with a syntax error or canary code. */
async function generateAll(t: Texts): Promise<string[]> {
  const found: string[] = [];
  for (const combo of COMBOS) {
    const dir = tempProject();
    const spec = join(dir, "spec.json");
    // JSON.stringify writes lone surrogates as \uXXXX escapes: the spec carries them.
    writeFileSync(spec, JSON.stringify(hostileSpec(t, combo.kind === "client")));
    const toml = ["namespace = \"ns\"", 'spec = "spec.json"', `kind = "${combo.kind}"`, `iac = "${combo.iac}"`];
    if ("runtime" in combo) toml.push(`runtime = "${combo.runtime}"`);
    if (combo.kind === "client") toml.push("[stepfunctions]", "example = true");
    writeFileSync(join(dir, "picofun.toml"), `${toml.join("\n")}\n`);
    const label = `${combo.kind}/${combo.iac}${"runtime" in combo ? `/${combo.runtime}` : ""}`;
    try {
      await generate({ cwd: dir });
    } catch (err) {
      found.push(`${label}: generation failed: ${(err as Error).message}`);
      continue;
    }
    const roots = [join(dir, "output"), ...(combo.kind === "api" ? [join(dir, "handlers")] : [])];
    const results = await scanOutput(roots);
    // Each kind writes its code files: an empty scan would prove nothing.
    if (![...results.keys()].some((f) => /\.(py|mjs)$/.test(f))) found.push(`${label}: no handler scanned`);
    found.push(...problems(results).map((p) => `${label}: ${p}`));
  }
  return found;
}

describeWithTools("hostile text in every field of a spec stays data in every file picofun writes", ["python"], () => {
  it(`every kind x IaC parses in each file's language and the canary is never code (seed ${SEED}, ${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileTexts(), async (t) => {
        const found = await generateAll(t);
        expect(found, JSON.stringify(t)).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});
