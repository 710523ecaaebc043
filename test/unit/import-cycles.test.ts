import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { cyclesOf } from "../../src/util/cycles.js";
import { REPO } from "../support/env.js";

/**
 * No import cycles: in picofun's TypeScript (every static import and export, `import type` included,
 * and every `import()` of a relative module) and in the Python runtime (every import of a picorun
 * module, lazy ones inside functions included; only imports under `if TYPE_CHECKING:` are left out,
 * since they never run).
 */

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : full.endsWith(".ts") ? [full] : [];
  });
}

/** The relative modules a TypeScript file imports, as absolute .ts paths. */
export function tsImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specs: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specs.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) specs.push(arg.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specs.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs.filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s).replace(/\.js$/, ".ts"));
}


describe("import cycles", () => {
  it("reads type-only imports, re-exports and import() as edges", () => {
    const f = join(REPO, "src", "x", "a.ts");
    const text = 'import type { T } from "./t.js";\nexport { u } from "../u.js";\nconst m = await import("./m.js");\ntype Q = import("./q.js").Q;\nimport fs from "node:fs";\n';
    expect(tsImports(f, text).map((p) => relative(join(REPO, "src"), p)).sort()).toEqual(["u.ts", "x/m.ts", "x/q.ts", "x/t.ts"]);
  });

  it("src/ has none", () => {
    const root = join(REPO, "src");
    const graph = new Map<string, string[]>();
    for (const f of tsFiles(root)) graph.set(f, tsImports(f, readFileSync(f, "utf8")));
    const named = cyclesOf(graph).map((c) => c.map((f) => relative(root, f)));
    expect(named).toEqual([]);
  });

  it("the Python runtime (picorun) has none", () => {
    const script = `
import ast, json, pathlib, sys
root = pathlib.Path(sys.argv[1])
graph = {}
def type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
for path in sorted(root.glob("*.py")):
    mod = path.stem
    deps = set()
    def walk(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and type_checking(child.test):
                for other in child.orelse:
                    walk(other)
                continue
            if isinstance(child, ast.ImportFrom) and child.module:
                if child.module == "picorun":
                    # A submodule by name is that module; any other name is read from __init__.
                    for a in child.names:
                        deps.add(a.name if (root / (a.name + ".py")).exists() else "__init__")
                elif child.module.startswith("picorun."):
                    deps.add(child.module.split(".")[1])
            elif isinstance(child, ast.Import):
                deps.update(a.name.split(".")[1] for a in child.names if a.name.startswith("picorun."))
            walk(child)
    walk(ast.parse(path.read_text(encoding="utf-8")))
    deps.discard(mod)
    graph[mod] = sorted(deps)
print(json.dumps(graph))
`;
    const res = spawnSync("python3", ["-c", script, join(REPO, "templates", "client", "layer", "picorun")], { encoding: "utf8" });
    expect(res.status, res.stderr).toBe(0);
    const graph = new Map(Object.entries(JSON.parse(res.stdout) as Record<string, string[]>));
    expect(cyclesOf(graph)).toEqual([]);
  });
});
