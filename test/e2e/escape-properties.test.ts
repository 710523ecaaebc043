import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { hclString, hclValue, pyDocstring, pyString, terraformJson } from "../../src/render/escape.js";
import { runPython } from "../support/python.js";
import { randomString, rng, wellFormed } from "../support/random.js";
import { describeWithTools } from "../support/skip.js";
import { terraform } from "../support/terraform.js";

const SEED = Number(process.env.PICOFUN_SEED ?? 20261121);

describeWithTools("escaping properties checked by python3 and ruff", ["python"], () => {
  it(`pyString: every literal evaluates to its input exactly and the module is ruff-clean (seed ${SEED})`, async () => {
    const next = rng(SEED);
    const inputs = Array.from({ length: 3000 }, () => randomString(next, 16));
    inputs.push("", '"', "'", `"'`, '"""', "\\", "\ud800", "\udc00x\ud83d");
    const dir = mkdtempSync(join(tmpdir(), "picofun-pystr-"));
    writeFileSync(join(dir, "values.py"), `VALUES = [\n${inputs.map((s) => `    ${pyString(s)},\n`).join("")}]\n`, "utf8");
    writeFileSync(join(dir, "expected.json"), JSON.stringify(inputs));
    const check = [
      "import ast, json, sys",
      "src = open(sys.argv[1], encoding='utf-8').read()",
      "tree = ast.parse(src)",
      "expected = json.load(open(sys.argv[2], encoding='utf-8'))",
      "# One statement, a list of plain string constants: nothing but data.",
      "assert len(tree.body) == 1 and isinstance(tree.body[0].value, ast.List), 'structure'",
      "assert all(type(e) is ast.Constant and type(e.value) is str for e in tree.body[0].value.elts), 'not constants'",
      "got = [e.value for e in tree.body[0].value.elts]",
      "assert len(got) == len(expected), 'count'",
      "bad = [i for i, (value, want) in enumerate(zip(got, expected)) if value != want]",
      "print(json.dumps(bad[:20]))",
      "sys.exit(1 if bad else 0)",
    ].join("\n");
    const r = await runPython(["-c", check, join(dir, "values.py"), join(dir, "expected.json")]);
    expect(r.code, `${r.stdout} ${r.stderr}`).toBe(0);
    const lint = await runPython(["-m", "ruff", "check", "--no-cache", dir]);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    const format = await runPython(["-m", "ruff", "format", "--check", "--diff", "--no-cache", dir]);
    expect(format.code, (format.stdout + format.stderr).slice(0, 3000)).toBe(0);
  });

  it(`pyDocstring: each module docstring is one statement holding the text, and ruff accepts every file (seed ${SEED})`, async () => {
    const next = rng(SEED + 1);
    const dir = mkdtempSync(join(tmpdir(), "picofun-doc-"));
    const expected: string[] = [];
    for (let i = 0; i < 300; i++) {
      const doc = pyDocstring(randomString(next, 8), randomString(next, 20), next() < 0.5 ? randomString(next, 30) : undefined);
      writeFileSync(join(dir, `m${i}.py`), `${doc}\n\nX = 1\n`, "utf8");
      // The docstring's value: its text with the two escapes docText makes undone.
      expected.push(doc.replace(/^"""|"""$/g, "").replace(/\\(["\\])/g, "$1"));
    }
    writeFileSync(join(dir, "expected.json"), JSON.stringify(expected));
    const check = [
      "import ast, json, sys, pathlib",
      "d = pathlib.Path(sys.argv[1])",
      "expected = json.load(open(d / 'expected.json', encoding='utf-8'))",
      "bad = []",
      "for i, want in enumerate(expected):",
      "    tree = ast.parse((d / f'm{i}.py').read_text(encoding='utf-8'))",
      "    kinds = [type(s).__name__ for s in tree.body]",
      "    value = tree.body[0].value.value if kinds == ['Expr', 'Assign'] else None",
      "    if value != want or any(ord(c) < 32 and c != '\\n' for c in value):",
      "        bad.append((i, kinds, value, want))",
      "print(json.dumps(bad[:5]))",
      "sys.exit(1 if bad else 0)",
    ].join("\n");
    const r = await runPython(["-c", check, dir]);
    expect(r.code, `${r.stdout} ${r.stderr}`).toBe(0);
    const lint = await runPython(["-m", "ruff", "check", "--no-cache", dir]);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    const format = await runPython(["-m", "ruff", "format", "--check", "--diff", "--no-cache", dir]);
    expect(format.code, (format.stdout + format.stderr).slice(0, 3000)).toBe(0);
  });
});

describeWithTools("escaping properties checked by terraform", ["terraform"], () => {
  it(`hclString, hclValue and terraformJson round-trip through terraform outputs (seed ${SEED})`, async () => {
    const next = rng(SEED + 2);
    const strings = Array.from({ length: 150 }, () => randomString(next, 12));
    strings.push("${file(\"/etc/passwd\")}", "%{ if true }x%{ endif }", "$${x}", "%%{x}", "$", "%", "\\${x}", "a$", "a%");
    const map: Record<string, string> = {};
    for (let i = 0; i < 20; i++) map[randomString(next, 6) || `k${i}`] = randomString(next, 6);
    const dir = mkdtempSync(join(tmpdir(), "picofun-hcl-"));
    writeFileSync(
      join(dir, "main.tf"),
      [
        ...strings.map((s, i) => `output "s${i}" {\n  value = ${hclString(s)}\n}\n`),
        `output "list" {\n  value = ${hclValue(strings.slice(0, 10))}\n}\n`,
        `output "map" {\n  value = ${hclValue(map)}\n}\n`,
      ].join("\n"),
      "utf8",
    );
    const json: Record<string, { value: string }> = {};
    strings.forEach((s, i) => (json[`j${i}`] = { value: s }));
    writeFileSync(join(dir, "more.tf.json"), terraformJson({ output: json }), "utf8");
    const apply = await terraform(["apply", "-auto-approve", "-input=false", "-lock=false"], dir);
    expect(apply.code, apply.out.slice(0, 3000)).toBe(0);
    const out = await terraform(["output", "-json"], dir);
    expect(out.code, out.out).toBe(0);
    const values = JSON.parse(out.out) as Record<string, { value: unknown }>;
    // Terraform keeps strings in Unicode normal form C; a UTF-8 file cannot hold lone surrogates.
    const want = (s: string) => wellFormed(s).normalize("NFC");
    strings.forEach((s, i) => {
      expect(values[`s${i}`].value, JSON.stringify(s)).toBe(want(s));
      // Terraform's JSON syntax drops one leading U+FEFF from a string (an invisible character).
      expect(values[`j${i}`].value, JSON.stringify(s)).toBe(want(s).replace(/^\ufeff/, ""));
    });
    expect(values.list.value).toEqual(strings.slice(0, 10).map(want));
    expect(values.map.value).toEqual(Object.fromEntries(Object.entries(map).map(([k, v]) => [want(k), want(v)])));
  });
});
