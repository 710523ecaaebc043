import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { generate } from "../../src/pipeline/generate.js";
import { isUserError } from "../../src/util/errors.js";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";
import { FAKE_PROVIDER_LINES, terraform } from "../support/terraform.js";

const EXAMPLES = join(REPO, "node_modules", "@readme", "oas-examples");
const GITHUB = join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");
const FALLBACK_SERVER = "https://api.example.test";

/** Documents that cannot generate, and the reason the error must give. */
const EXPECTED_FAILURES: Record<string, RegExp> = {
  "3.0/json/openapi-workshop/title.json": /the spec has no operations under "paths"/,
  "3.1/json/webhooks.json": /no "paths" object \(it only describes webhooks/,
  "3.1/yaml/webhooks.yaml": /no "paths" object \(it only describes webhooks/,
};

/** Documents that may need [auth] enabled = false: the two response-http-behavior copies use an undefined scheme. */
const AUTH_OFF_AT_MOST = 2;

function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(json|ya?ml)$/i.test(name)) out.push(path);
    }
  };
  for (const version of ["2.0", "3.0", "3.1"]) walk(join(EXAMPLES, version));
  out.push(GITHUB);
  return out;
}

function label(spec: string): string {
  return spec === GITHUB ? "github" : relative(EXAMPLES, spec);
}

interface Outcome {
  spec: string;
  out?: string;
  serverUrlNeeded?: boolean;
  /** Only schemes picofun cannot apply: generated with [auth] enabled = false, as the error says. */
  authOff?: boolean;
  functions?: number;
  error?: string;
  errorIsUserError?: boolean;
}

describeWithTools("real-world corpus (@readme/oas-examples 2.0/3.0/3.1 and GitHub's spec)", ["python", "terraform"], () => {
  const root = mkdtempSync(join(tmpdir(), "picofun-corpus-"));
  const outcomes: Outcome[] = [];
  const files = existsSync(EXAMPLES) ? corpusFiles() : [];

  beforeAll(async () => {
    expect(files.length).toBeGreaterThan(100);
    let i = 0;
    for (const spec of files) {
      const cwd = join(root, `${String(i++).padStart(3, "0")}-${basename(spec).replace(/\W+/g, "_")}`);
      mkdirSync(cwd);
      const base = { namespace: "corpus", spec, outputDir: join(cwd, "output") };
      const outcome: Outcome = { spec };
      try {
        outcome.functions = (await generate({ cwd, overrides: base })).functionCount;
        outcome.out = base.outputDir;
      } catch (err) {
        if (isUserError(err) && /security schemes are not supported/.test(err.message)) {
          // What the message tells a user to do: turn automatic authentication off.
          outcome.authOff = true;
          writeFileSync(join(cwd, "picofun.toml"), "[auth]\nenabled = false\n");
          try {
            outcome.functions = (await generate({ cwd, overrides: base })).functionCount;
            outcome.out = base.outputDir;
          } catch (err2) {
            if (isUserError(err2) && /server/.test(err2.message)) {
              outcome.serverUrlNeeded = true;
              outcome.functions = (await generate({ cwd, overrides: { ...base, serverUrl: FALLBACK_SERVER } })).functionCount;
              outcome.out = base.outputDir;
            } else {
              outcome.error = (err2 as Error).message;
              outcome.errorIsUserError = isUserError(err2);
            }
          }
        } else if (isUserError(err) && /server/.test(err.message)) {
          outcome.serverUrlNeeded = true;
          try {
            outcome.functions = (await generate({ cwd, overrides: { ...base, serverUrl: FALLBACK_SERVER } })).functionCount;
            outcome.out = base.outputDir;
          } catch (err2) {
            outcome.error = (err2 as Error).message;
            outcome.errorIsUserError = isUserError(err2);
          }
        } else {
          outcome.error = (err as Error).message;
          outcome.errorIsUserError = isUserError(err);
        }
      }
      outcomes.push(outcome);
    }
    const generated = outcomes.filter((o) => o.out);
    console.log(
      `corpus: ${outcomes.length} documents, ${generated.length} generated ` +
        `(${generated.filter((o) => o.serverUrlNeeded).length} needed --server-url), ` +
        `${outcomes.filter((o) => o.error).length} refused, ${generated.reduce((n, o) => n + (o.functions ?? 0), 0)} functions`,
    );
    const authOn = generated.filter((o) => !o.authOff).length;
    console.log(`corpus: ${authOn} of ${outcomes.length} documents generate with authentication on ([auth] enabled = true, the default)`);
    for (const o of outcomes.filter((x) => x.serverUrlNeeded)) console.log(`  needed --server-url: ${label(o.spec)}`);
    for (const o of outcomes.filter((x) => x.authOff)) console.log(`  needed [auth] enabled = false: ${label(o.spec)}`);
    for (const o of outcomes.filter((x) => x.error)) console.log(`  refused: ${label(o.spec)}: ${o.error}`);
  });

  it("every document generates, or is refused with one clear UserError line for a listed reason", () => {
    const refused = outcomes.filter((o) => o.error);
    for (const o of refused) {
      expect(o.errorIsUserError, `${label(o.spec)}: ${o.error}`).toBe(true);
      expect(o.error).not.toMatch(/\n/);
      const expected = EXPECTED_FAILURES[label(o.spec)];
      expect(expected, `unexpected failure ${label(o.spec)}: ${o.error}`).toBeDefined();
      expect(o.error).toMatch(expected!);
    }
    expect(refused.map((o) => label(o.spec)).sort()).toEqual(Object.keys(EXPECTED_FAILURES).sort());
    // Every Swagger 2.0 document converts and generates.
    const swagger = outcomes.filter((o) => label(o.spec).startsWith("2.0/"));
    expect(swagger.length).toBeGreaterThan(10);
    for (const o of swagger) expect(o.out, label(o.spec)).toBeDefined();
    // With every OAuth2 flow, OpenID Connect and AND requirements applied, only schemes nothing
    // unattended can apply (http digest, undefined schemes, ...) need authentication off.
    const authOff = outcomes.filter((o) => o.authOff);
    expect(authOff.length, authOff.map((o) => label(o.spec)).join(", ")).toBeLessThanOrEqual(AUTH_OFF_AT_MOST);
    const github = outcomes.find((o) => o.spec === GITHUB)!;
    expect(github.out, github.error).toBeDefined();
    expect(github.functions).toBeGreaterThan(800);
  });

  it("all generated Python compiles and passes ruff check and ruff format --check", async () => {
    const dirs = outcomes.filter((o) => o.out).map((o) => join(o.out!, "lambdas"));
    const script = [
      "import pathlib, sys",
      "bad = []",
      "n = 0",
      "for d in sys.argv[1:]:",
      "    for f in sorted(pathlib.Path(d).glob('*.py')):",
      "        n += 1",
      "        try:",
      "            compile(f.read_text(encoding='utf-8'), str(f), 'exec')",
      "        except SyntaxError as e:",
      "            bad.append(f'{f}: {e}')",
      "print(n)",
      "print('\\n'.join(bad))",
      "sys.exit(1 if bad else 0)",
    ].join("\n");
    const compiled = await runPython(["-c", script, ...dirs]);
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    const count = Number(compiled.stdout.trim().split("\n")[0]);
    console.log(`corpus: ${count} handler modules compiled`);
    expect(count).toBeGreaterThan(1000);
    const lint = await runPython(["-m", "ruff", "check", "--no-cache", "--quiet", ...dirs]);
    expect(lint.code, (lint.stdout + lint.stderr).slice(0, 4000)).toBe(0);
    const format = await runPython(["-m", "ruff", "format", "--check", "--no-cache", "--quiet", ...dirs]);
    expect(format.code, (format.stdout + format.stderr).slice(0, 4000)).toBe(0);
  });

  it("a sample of the generated Terraform validates and is fmt-clean (one init for all)", async () => {
    const generated = outcomes.filter((o) => o.out);
    const pick = (re: RegExp) => generated.find((o) => re.test(label(o.spec)));
    const sample = [
      pick(/^github$/),
      pick(/^2\.0\/yaml\/petstore\.yaml$/),
      pick(/^3\.0\/json\/schema-circular/),
      pick(/^3\.1\//),
      ...generated.filter((o) => o.serverUrlNeeded).slice(0, 1),
    ].filter((o): o is Outcome => !!o);
    expect(sample.length).toBeGreaterThanOrEqual(4);
    const tfRoot = mkdtempSync(join(tmpdir(), "picofun-corpus-tf-"));
    writeFileSync(
      join(tfRoot, "main.tf"),
      [
        ...FAKE_PROVIDER_LINES,
        "}",
        // Same length as "corpus": the namespace may not outgrow the room the cut names leave.
        ...sample.map((o, i) => `module "m${i}" {\n  source = "${o.out}"\n  namespace = "corpu${i}"\n}`),
      ].join("\n"),
    );
    const init = await terraform(["init", "-input=false", "-backend=false"], tfRoot);
    expect(init.code, init.out).toBe(0);
    const validate = await terraform(["validate"], tfRoot);
    expect(validate.code, validate.out).toBe(0);
    for (const o of sample) {
      const fmt = await terraform(["fmt", "-check", "-recursive"], o.out!);
      expect(fmt.code, `${label(o.spec)}: ${fmt.out}`).toBe(0);
    }
    console.log(`corpus: Terraform validated for ${sample.map((o) => label(o.spec)).join(", ")}`);
  });

  it("the real CLI generates a few of them (Swagger 2.0 YAML, 3.1, one needing --server-url) and refuses webhooks in one line", async () => {
    const cases: Array<[string, string[]]> = [
      [join(EXAMPLES, "2.0", "yaml", "petstore.yaml"), []],
      [join(EXAMPLES, "3.1", "json", "petstore.json"), []],
    ];
    const needing = outcomes.find((o) => o.serverUrlNeeded && o.out);
    if (needing) cases.push([needing.spec, ["--server-url", FALLBACK_SERVER]]);
    for (const [spec, extra] of cases) {
      const cwd = mkdtempSync(join(tmpdir(), "picofun-corpus-cli-"));
      const res = await runCli(["corpus", spec, "--output-dir", join(cwd, "output"), ...extra], { cwd });
      expect(res.code, `${spec}: ${res.stderr}`).toBe(0);
      expect(res.stdout).toMatch(/\d+ functions? for /);
    }
    if (needing) {
      const cwd = mkdtempSync(join(tmpdir(), "picofun-corpus-cli-"));
      const res = await runCli(["corpus", needing.spec, "--output-dir", join(cwd, "output")], { cwd });
      expect(res.code).toBe(1);
      expect(res.stderr.trim().split("\n")).toHaveLength(1);
      expect(res.stderr).toMatch(/--server-url/);
    }
    const webhooks = await runCli(["corpus", join(EXAMPLES, "3.1", "yaml", "webhooks.yaml")], { cwd: mkdtempSync(join(tmpdir(), "picofun-corpus-cli-")) });
    expect(webhooks.code).toBe(1);
    expect(webhooks.stderr.trim().split("\n")).toHaveLength(1);
    expect(webhooks.stderr).toMatch(/webhooks/);
    expect(webhooks.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
