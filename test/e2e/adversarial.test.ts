import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, type TerraformCheck } from "../support/terraform.js";

const SPEC = join(REPO, "test", "fixtures", "adversarial.yaml");

interface Op {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string }>;
}
const doc = parse(readFileSync(SPEC, "utf8")) as { servers: Array<{ url: string }>; paths: Record<string, Record<string, Op>> };
const HOSTILE_PATH = Object.keys(doc.paths).find((p) => p.includes("passwd"))!;
const HOSTILE_OP = doc.paths[HOSTILE_PATH].get;
const HOSTILE_SERVER = doc.servers[0].url;

/** Imports every generated handler and reports what it holds, without calling anything. */
const INSPECT = `
import importlib, json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import builtins
out = {}
for name in sys.argv[3:]:
    mod = importlib.import_module(name)
    e = mod.ENDPOINT
    out[name] = {
        "globals": sorted(k for k in vars(mod) if not k.startswith("__")),
        "doc": mod.__doc__,
        "function_name": e.function_name,
        "method": e.method,
        "path": e.path,
        "server_url": e.server_url,
        "parameters": [[p.name, p.location] for p in e.parameters],
    }
print(json.dumps(out))
`;

describeWithTools("a spec crafted to inject code generates only data", ["python", "terraform"], () => {
  let out: string;
  let modules: string[];
  let inspected: Record<
    string,
    { globals: string[]; doc: string; function_name: string; method: string; path: string; server_url: string; parameters: string[][] }
  >;
  let tf: TerraformCheck;

  beforeAll(async () => {
    const dir = tempProject();
    out = join(dir, "output");
    const res = await runCli(["adv", SPEC, "--output-dir", out], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    modules = readdirSync(join(out, "lambdas"))
      .filter((f) => f.endsWith(".py"))
      .map((f) => f.slice(0, -3));
    const r = await runPython(["-c", INSPECT, join(out, "layer"), join(out, "lambdas"), ...modules]);
    expect(r.code, r.stderr).toBe(0);
    inspected = JSON.parse(r.stdout);
    tf = await checkTerraform(out);
  });

  it("generates one handler per operation with safe, unique names", () => {
    expect(modules).toHaveLength(5);
    const names = Object.values(inspected).map((m) => m.function_name);
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_]{1,64}$/);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const m of modules) expect(m).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    // Characters a name cannot hold become `_`.
    expect(modules.some((m) => m.startsWith("post_N_CODE_na_ve_brackets_and_spaces"))).toBe(true);
  });

  it("every module holds exactly the hostile strings as data, and defines nothing else", () => {
    const byPath = Object.values(inspected).find((m) => m.path === HOSTILE_PATH);
    expect(byPath, JSON.stringify(inspected)).toBeDefined();
    expect(byPath!.server_url).toBe(HOSTILE_SERVER);
    expect(byPath!.method).toBe("GET");
    expect(byPath!.parameters).toEqual(HOSTILE_OP.parameters!.map((p) => [p.name, p.in]));
    expect(byPath!.parameters.map((p) => p[0])).toContain("__import__");
    expect(byPath!.parameters.map((p) => p[0])).toContain("class");
    // The summary's """ and code stay inside the docstring.
    expect(byPath!.doc).toContain(HOSTILE_OP.summary!);
    expect(byPath!.doc).toContain("Backslashes \\ \\n \\x00 \\u0000");
    expect(byPath!.doc).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const m = Object.values(inspected).find((x) => x.path === path && x.method === method.toUpperCase());
        expect(m, `${method} ${path}`).toBeDefined();
        if (op.summary) expect(m!.doc.replace(/\s+/g, " ")).toContain(op.summary.replace(/\s+/g, " "));
      }
    }
    for (const m of Object.values(inspected)) {
      // TYPE_CHECKING and annotations (from __future__) serve the handler's type annotations.
      const known = ["ENDPOINT", "handler", "Endpoint", "Parameter", "TYPE_CHECKING", "annotations"];
      expect(m.globals.filter((g) => !known.includes(g))).toEqual([]);
    }
  });

  it("the Python compiles, passes ruff check and ruff format --check", async () => {
    const files = modules.map((m) => join(out, "lambdas", `${m}.py`));
    const compiled = await runPython(["-m", "py_compile", ...files]);
    expect(compiled.code, compiled.stderr).toBe(0);
    const lint = await runPython(["-m", "ruff", "check", "--no-cache", join(out, "lambdas")]);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    const format = await runPython(["-m", "ruff", "format", "--check", "--no-cache", join(out, "lambdas")]);
    expect(format.code, format.stdout + format.stderr).toBe(0);
  });

  it("any generated JavaScript passes node --check", async () => {
    const { spawnSync } = await import("node:child_process");
    const js: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (/\.(c|m)?js$/.test(e.name)) js.push(join(d, e.name));
      }
    };
    walk(out);
    for (const f of js) {
      const r = spawnSync(process.execPath, ["--check", f], { encoding: "utf8" });
      expect(r.status, `${f}: ${r.stderr}`).toBe(0);
    }
  });

  it("Terraform validates, is fmt-clean, plans, and the descriptions equal the hostile text", () => {
    expect(tf.codes[0], tf.init).toBe(0);
    expect(tf.codes[1], tf.validate).toBe(0);
    expect(tf.codes[2], tf.fmt).toBe(0);
    expect(tf.codes[3], tf.plan).toBe(0);
    const fns = tf.resources.filter((r) => r.type === "aws_lambda_function");
    expect(fns).toHaveLength(5);
    const hostile = fns.find((r) => String(r.values.description).startsWith(`GET ${HOSTILE_PATH}: `));
    expect(hostile, fns.map((f) => f.values.description).join("\n")).toBeDefined();
    // Not interpolated: the literal ${file(...)} and %{ if } survive, one line.
    expect(hostile!.values.description).toBe(`GET ${HOSTILE_PATH}: ${HOSTILE_OP.summary!.replace(/\s+/g, " ")}`);
    const del = fns.find((r) => String(r.values.description).startsWith("DELETE "))!;
    expect(String(del.values.description)).not.toMatch(/[\u0000-\u001f\u2028\u2029]/);
    for (const f of fns) expect(String(f.values.function_name)).toMatch(/^[A-Za-z0-9_]{1,64}$/);
  });
});
