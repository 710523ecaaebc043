/**
 * Checks that text taken from a spec stayed data in a generated file: the file parses in its
 * own language, and a canary identifier planted in the spec's text appears only inside string
 * literals or comments (never as a name the language would run).
 */
import ts from "typescript";
import { parse as parseYaml } from "yaml";

export const CANARY = "PICOFUN_CANARY_x";

export interface ScanResult {
  /** Syntax errors, as "line:col message". */
  errors: string[];
  /** Where the canary is code. */
  code: string[];
}

/** TypeScript or JavaScript through TypeScript's own parser: syntax errors, and canary identifiers. */
export function scanTypeScript(file: string, text: string, canary = CANARY): ScanResult {
  const kind = /\.(m?js|cjs)$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const diagnostics = (source as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const at = (pos: number) => {
    const { line, character } = source.getLineAndCharacterOfPosition(pos);
    return `${line + 1}:${character + 1}`;
  };
  const errors = diagnostics.map((d) => `${at(d.start)} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
  const code: string[] = [];
  const visit = (node: ts.Node) => {
    // Names are the only nodes whose text is code; literals and comments are not identifiers.
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && node.text.includes(canary)) code.push(`${at(node.getStart())} ${node.text}`);
    // A template literal's expressions run: no spec text may reach one.
    if (ts.isTemplateExpression(node) && node.getText().includes(canary)) {
      for (const span of node.templateSpans) if (span.expression.getText().includes(canary)) code.push(`${at(span.getStart())} \${${span.expression.getText()}}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { errors, code };
}

/**
 * A Python script that takes file paths as arguments and prints, as JSON, for each file the
 * syntax error (`ast.parse`) and every place the canary is a name, attribute, argument, import
 * or keyword rather than the value of a string constant (comments are not in the tree).
 */
export function pythonScanScript(canary = CANARY): string {
  return [
    "import ast, json, sys",
    `CANARY = ${JSON.stringify(canary)}`,
    "out = {}",
    "for path in sys.argv[1:]:",
    "    with open(path, 'rb') as f:",
    "        data = f.read()",
    "    try:",
    "        tree = ast.parse(data, filename=path)",
    "    except (SyntaxError, ValueError) as e:",
    "        out[path] = {'errors': [f'{getattr(e, \"lineno\", \"?\")}: {e}'], 'code': []}",
    "        continue",
    "    code = []",
    "    for node in ast.walk(tree):",
    "        if isinstance(node, ast.Constant):",
    "            continue",
    "        for field, value in ast.iter_fields(node):",
    "            values = value if isinstance(value, list) else [value]",
    "            for v in values:",
    "                if isinstance(v, str) and CANARY in v:",
    "                    code.append(f'{getattr(node, \"lineno\", \"?\")}: {type(node).__name__}.{field} = {v!r}')",
    "    out[path] = {'errors': [], 'code': code}",
    "print(json.dumps(out))",
  ].join("\n");
}

/** JSON: parses; the canary can only be data in JSON. */
export function scanJson(text: string): ScanResult {
  try {
    JSON.parse(text);
    return { errors: [], code: [] };
  } catch (err) {
    return { errors: [String((err as Error).message)], code: [] };
  }
}

/** YAML: parses without errors (the canary can only be data in YAML). */
export function scanYaml(text: string): ScanResult {
  try {
    parseYaml(text);
    return { errors: [], code: [] };
  } catch (err) {
    return { errors: [String((err as Error).message)], code: [] };
  }
}

/**
 * Terraform's native syntax, cheaply (terraform itself runs on a few fixed samples): a lexer for
 * comments, quoted strings with their escapes, heredocs, and the `${ }` / `%{ }` template
 * sequences inside strings. Reports unterminated strings and the canary anywhere but in the
 * literal text of a string or a comment: outside strings it would be an expression, inside a
 * template sequence it would be evaluated.
 */
export function scanHcl(text: string, canary = CANARY): ScanResult {
  const errors: string[] = [];
  const code: string[] = [];
  let i = 0;
  let line = 1;
  let codeStart = 0;
  const flushCode = (end: number) => {
    if (text.slice(codeStart, end).includes(canary)) code.push(`${line}: in an expression`);
  };
  // Reads a template body (string or heredoc) from i until `end` matches; returns false when unterminated.
  const template = (until: (at: number) => boolean, quoted: boolean): boolean => {
    while (i < text.length) {
      if (until(i)) return true;
      const c = text[i];
      if (quoted && c === "\n") return false;
      if (quoted && c === "\\") {
        i += 2;
        continue;
      }
      if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") {
        i += 3;
        continue;
      }
      if ((c === "$" || c === "%") && text[i + 1] === "{") {
        const start = i;
        let depth = 0;
        for (; i < text.length; i++) {
          if (text[i] === "{") depth++;
          else if (text[i] === "}" && --depth === 0) break;
          else if (text[i] === '"') {
            // A string inside the sequence: skip it.
            for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
          }
        }
        if (text.slice(start, i + 1).includes(canary)) code.push(`${line}: evaluated ${text.slice(start, i + 1).slice(0, 80)}`);
        i++;
        continue;
      }
      if (c === "\n") line++;
      i++;
    }
    return false;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      flushCode(i);
      while (i < text.length && text[i] !== "\n") i++;
      codeStart = i;
    } else if (c === "/" && text[i + 1] === "*") {
      flushCode(i);
      const end = text.indexOf("*/", i + 2);
      if (end < 0) errors.push(`${line}: unterminated comment`);
      line += (text.slice(i, end < 0 ? text.length : end).match(/\n/g) ?? []).length;
      i = end < 0 ? text.length : end + 2;
      codeStart = i;
    } else if (c === '"') {
      flushCode(i);
      const startLine = line;
      i++;
      if (!template((at) => text[at] === '"', true)) errors.push(`${startLine}: unterminated string`);
      i++;
      codeStart = i;
    } else if (c === "<" && text[i + 1] === "<") {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\n/.exec(text.slice(i));
      if (!m) {
        i += 2;
        continue;
      }
      flushCode(i);
      i += m[0].length;
      line++;
      const marker = m[1];
      const ends = (at: number) => text[at - 1] === "\n" && new RegExp(`^[ \\t]*${marker}\\n`).test(text.slice(at, at + marker.length + 80));
      if (!template(ends, false)) errors.push(`${line}: unterminated heredoc`);
      i = text.indexOf("\n", i) + 1 || text.length;
      line++;
      codeStart = i;
    } else {
      if (c === "\n") line++;
      i++;
    }
  }
  flushCode(text.length);
  return { errors, code };
}

/** A file Terraform's `templatefile` reads whole: the canary must not sit inside a `${ }` or `%{ }` sequence. */
export function scanTemplateFile(text: string, canary = CANARY): ScanResult {
  const marker = "PICOFUN_END_OF_TEMPLATE";
  return scanHcl(`x = <<${marker}\n${text}${text.endsWith("\n") ? "" : "\n"}${marker}\n`, canary);
}

/**
 * A Terraform JSON file (.tf.json) or a file `templatefile` reads: each string value is a
 * template, so the canary must not sit inside a `${ }` or `%{ }` sequence of any of them.
 */
export function scanTerraformJson(text: string, canary = CANARY): ScanResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { errors: [String((err as Error).message)], code: [] };
  }
  const code: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      const r = scanHcl(`"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`, canary);
      code.push(...r.code);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        walk(k);
        walk(x);
      }
    }
  };
  walk(value);
  return { errors: [], code };
}
