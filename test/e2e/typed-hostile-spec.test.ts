import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { expect, it } from "vitest";
import { REPO, VENV } from "../support/env.js";
import { CANARY, scanTypeScript } from "../support/codeScan.js";
import { hostileText } from "../support/hostileSpec.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";
import { writeTypedPython, writeTypedTypescript } from "../support/typedProject.js";

/** Every file under dir, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

// Python: the file parses, the canary is never run, and it is not even a name inside the type
// expressions models and glue write as strings (TypedDict values, TypeAlias values, cast types).
const SCAN = `
import ast, json, sys
CANARY = ${JSON.stringify(CANARY)}
bad = []
def injected(tree, where):
    # Module, class and field names are identifiers made from spec names ([A-Za-z0-9_]): they may
    # spell the canary. What must never appear is the canary run: called, or referenced alone.
    for node in ast.walk(tree):
        func = node.func if isinstance(node, ast.Call) else None
        called = getattr(func, "id", None) or getattr(func, "attr", None) or ""
        if CANARY in called or (isinstance(node, ast.Name) and node.id == CANARY):
            bad.append(where + ": " + ast.dump(node)[:200])
def names(tree, where):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            continue
        for _, value in ast.iter_fields(node):
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, str) and CANARY in v:
                    bad.append(where + ": " + type(node).__name__ + " " + repr(v))
def typed(text, where):
    try:
        names(ast.parse(text, mode="eval"), where + " (type string)")
    except SyntaxError:
        bad.append(where + ": type string does not parse: " + repr(text))
for path in sys.argv[1:]:
    try:
        tree = ast.parse(open(path, "rb").read())
    except SyntaxError as e:
        bad.append(path + ": " + str(e))
        continue
    injected(tree, path)
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            typed(node.value.value, path)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("TypedDict", "cast"):
            if node.func.id == "cast" and isinstance(node.args[0], ast.Constant):
                typed(node.args[0].value, path)
            if node.func.id == "TypedDict" and len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
                for v in node.args[1].values:
                    typed(v.value, path)
print(json.dumps(bad))
`;

const text = () => hostileText(3);
const schema = (refs: string[]) =>
  fc.oneof(
    fc.record({ type: fc.constant("object"), required: fc.array(text(), { maxLength: 2 }), properties: fc.dictionary(text(), fc.oneof(fc.record({ type: fc.constantFrom("string", "integer", "number", "boolean") }), fc.record({ type: fc.constant("string"), enum: fc.array(fc.oneof(text(), fc.integer(), fc.constant(null)), { minLength: 1, maxLength: 3 }) }), fc.constantFrom(...refs.map((r) => ({ $ref: `#/components/schemas/${r.replace(/~/g, "~0").replace(/\//g, "~1")}` })))), { maxKeys: 4 }) }),
    fc.record({ type: fc.constant("array"), items: fc.constantFrom(...refs.map((r) => ({ $ref: `#/components/schemas/${r.replace(/~/g, "~0").replace(/\//g, "~1")}` }))) }),
    fc.record({ type: fc.constant("string"), enum: fc.array(text(), { minLength: 1, maxLength: 3 }), description: text() }),
  );

const doc = fc.uniqueArray(text(), { minLength: 2, maxLength: 5 }).chain((names) =>
  fc.record({
    schemas: fc.tuple(...names.map(() => schema(names))),
    operationId: text(),
    params: fc.uniqueArray(fc.record({ name: text(), in: fc.constantFrom("query", "header", "cookie"), schema: fc.record({ type: fc.constantFrom("string", "integer", "boolean", "number") }), description: text() }), { maxLength: 3, selector: (p) => `${p.in}:${p.name}` }),
  }).map((r) => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: {
      "/items/{id}": {
        post: {
          operationId: r.operationId,
          summary: names[0],
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }, ...r.params],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${names[0].replace(/~/g, "~0").replace(/\//g, "~1")}` } } } },
          responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: `#/components/schemas/${names[1].replace(/~/g, "~0").replace(/\//g, "~1")}` } } } } },
        },
      },
    },
    components: { schemas: Object.fromEntries(names.map((n, i) => [n, r.schemas[i]])) },
  })),
);

describeWithTools("typed handlers from hostile spec text", ["python"], () => {
  it("schema names, property names, enum values, operationIds and parameter names stay data in the generated Python and TypeScript", async () => {
    const docs = fc.sample(doc, { numRuns: 30, seed: 31 });
    const dirs: string[] = [];
    for (const d of docs) {
      const dir = mkdtempSync(join(tmpdir(), "picofun-typed-hostile-"));
      writeTypedPython(d as Record<string, unknown>, join(dir, "py"));
      writeTypedTypescript(d as Record<string, unknown>, join(dir, "ts"));
      dirs.push(dir);
      for (const f of files(join(dir, "ts")).filter((f) => f.endsWith(".ts"))) {
        const scan = scanTypeScript(f, readFileSync(f, "utf8"));
        expect(scan.errors, f).toEqual([]);
        expect(scan.code, f).toEqual([]);
      }
    }
    const py = dirs.flatMap((d) => files(join(d, "py")).filter((f) => f.endsWith(".py")));
    const res = await runPython(["-c", SCAN, ...py]);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([]);
    // The strict type checkers accept a few of them whole.
    for (const dir of dirs.slice(0, 3)) {
      const mypy = await runPython([join(VENV, "bin", "mypy"), "--strict", "--no-incremental", "output/handlers_glue/picofun_api", "handlers"], "", { MYPYPATH: join(dir, "py", "output", "handlers_glue") }, undefined, join(dir, "py"));
      expect(mypy.code, mypy.stdout).toBe(0);
      execFileSync(join(REPO, "node_modules", ".bin", "tsc"), ["-p", join(dir, "ts", "handlers")], { stdio: "pipe" });
    }
  }, 600_000);
});
