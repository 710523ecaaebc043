import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { buildConfig } from "../../src/config/load.js";
import { CONFIG_KEYS } from "../../src/config/schema.js";
import { validateTable } from "../../src/config/validate.js";
import type { WizardAnswers } from "../../src/wizard/answers.js";
import { checkStyle, defaultStyle, languageOf, typedLanguageFor } from "../../src/wizard/language.js";
import { configToml, ESBUILD_RANGE, packageJson } from "../../src/wizard/writeProject.js";
import { REPO } from "../support/env.js";

const api: WizardAnswers = {
  spec: "/work/specs/orders.yaml",
  namespace: "orders",
  kind: "api",
  runtime: "python3.13",
  auth: { enabled: false, ttlMinutes: 5 },
  subnets: [],
  layers: [],
  tags: {},
  projectDir: "/work/specs/project",
  outputDir: "/work/specs/project/output",
};

describe("the handler language of a new api-kind project", () => {
  it("defaults to typed handlers in the runtime's language; TypeScript only when esbuild can bundle it", () => {
    expect(defaultStyle("api", "python3.13", false)).toBe("python");
    expect(defaultStyle("api", "python3.14", true)).toBe("python");
    expect(defaultStyle("api", "nodejs22.x", true)).toBe("typescript");
    expect(defaultStyle("api", "nodejs24.x", false)).toBe("untyped");
    expect(defaultStyle("client", "python3.13", true)).toBeUndefined();
    expect(languageOf("untyped")).toBeUndefined();
    expect(languageOf("python")).toBe("python");
  });

  it("--language takes only the runtime's typed language or untyped, whatever is typed (fast-check)", () => {
    const runtimes = ["python3.13", "python3.14", "nodejs22.x", "nodejs24.x"];
    fc.assert(
      fc.property(fc.constantFrom(...runtimes), fc.oneof(fc.constantFrom("python", "typescript", "untyped", "Python", " python", "ts", ""), fc.string()), (runtime, value) => {
        const ok = value === "untyped" || value === typedLanguageFor(runtime);
        expect(checkStyle("api", runtime, value) === true).toBe(ok);
        expect(checkStyle("client", runtime, value)).toMatch(/api kind/);
      }),
      { numRuns: 500 },
    );
  });

  it("picofun.toml gets [api] language (it validates and loads back); untyped writes none", () => {
    for (const language of ["python", "typescript"] as const) {
      const answers = { ...api, language, runtime: language === "python" ? "python3.13" : "nodejs22.x" };
      const raw = parseToml(configToml(answers)) as Record<string, unknown>;
      validateTable(raw, CONFIG_KEYS, "picofun.toml");
      expect(buildConfig(raw, {}, api.projectDir, api.projectDir).api.language).toBe(language);
    }
    const untyped = parseToml(configToml(api)) as Record<string, unknown>;
    expect(untyped.api).toBeUndefined();
  });

  it("a typed TypeScript project's package.json asks for the esbuild picofun is built with; others do not", () => {
    const repoRange = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies.esbuild;
    expect(ESBUILD_RANGE).toBe(repoRange);
    const ts = JSON.parse(packageJson(undefined, { ...api, runtime: "nodejs22.x", language: "typescript" }, "^1.0.0"));
    expect(ts.devDependencies).toEqual({ picofun: "^1.0.0", esbuild: ESBUILD_RANGE });
    const mine = JSON.parse(packageJson(JSON.stringify({ devDependencies: { esbuild: "0.25.0" } }), { ...api, runtime: "nodejs22.x", language: "typescript" }, "^1.0.0"));
    expect(mine.devDependencies.esbuild).toBe("0.25.0");
    expect(JSON.parse(packageJson(undefined, { ...api, language: "python" }, "^1.0.0")).devDependencies).toEqual({ picofun: "^1.0.0" });
  });
});
