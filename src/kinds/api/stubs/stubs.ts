import type { Endpoint, Parameter } from "../../../model/types.js";
import { commentText, jsString, pyDocstring, pyString } from "../../../render/escape.js";

export type StubLanguage = "python" | "node";

export function stubLanguage(runtime: string): StubLanguage {
  return runtime.startsWith("nodejs") ? "node" : "python";
}

export function stubExtension(lang: StubLanguage): string {
  return lang === "node" ? "mjs" : "py";
}

const PY_RESERVED = new Set([
  ...["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else"],
  ...["except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise"],
  ...["return", "try", "while", "with", "yield", "match", "case", "type"],
  // names the stub itself uses
  ...["event", "context", "json", "base64", "path_params", "query", "multi_query", "headers", "body", "received", "handler", "raw"],
]);

const JS_RESERVED = new Set([
  ...["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends"],
  ...["false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this"],
  ...["throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static", "implements", "interface", "package"],
  ...["private", "protected", "public", "await", "async", "arguments", "eval", "undefined", "NaN", "Infinity"],
  ...["event", "context", "pathParams", "query", "multiQuery", "headers", "body", "received", "handler", "raw", "own", "JSON", "Buffer", "Object"],
]);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

function pyName(name: string): string {
  const w = words(name).map((x) => x.toLowerCase());
  let v = w.join("_") || "param";
  if (/^[0-9]/.test(v)) v = `p_${v}`;
  return v;
}

function jsName(name: string): string {
  const w = words(name);
  let v = w.map((x, i) => (i ? x[0].toUpperCase() + x.slice(1) : x[0].toLowerCase() + x.slice(1))).join("") || "param";
  if (/^[0-9]/.test(v)) v = `p${v}`;
  return v;
}

function unique(base: string, reserved: Set<string>, taken: Set<string>, sep: string): string {
  let v = reserved.has(base) ? (sep ? `${base}${sep}param` : `${base}Param`) : base;
  for (let n = 2; taken.has(v); n++) v = `${base}${sep}${n}`;
  taken.add(v);
  return v;
}

/** `source.get(KEY)`, split the way ruff format splits it when the assignment is too long. */
function pyRead(variable: string, source: string, key: string): string {
  const inline = `${source}.get(${key})`;
  return 4 + variable.length + 3 + inline.length <= 88 ? inline : `${source}.get(\n        ${key}\n    )`;
}

/** One line of comment text: what the variable holds, from the spec. */
function comment(p: Parameter): string {
  const bits = [p.in, p.required ? "required" : "optional", p.schemaType].filter(Boolean).join(", ");
  const desc = p.description ?? "";
  return commentText(`${p.name} (${bits})${desc ? `: ${desc}` : ""}`);
}

interface StubParam {
  comment: string;
  variable: string;
  /** Expression reading the value from the event (language-specific). */
  read: string;
  /** The echo key, as a string literal (Node: a computed key, so "__proto__" is an own property). */
  key: string;
}

export interface StubData {
  docstring: string;
  operation: string;
  params: StubParam[];
  hasBody: boolean;
  /** Something to echo (else the stub answers with an empty `received`). */
  hasReceived: boolean;
  usesPath: boolean;
  usesQuery: boolean;
  usesMultiQuery: boolean;
  usesHeaders: boolean;
  bodyComment: string;
  header: string[];
}

/** Everything a handler stub template places, pre-escaped for its language. */
export function stubData(e: Endpoint, operationId: string, functionName: string, lang: StubLanguage): StubData {
  const params = e.parameters.filter((p) => p.in !== "cookie");
  const taken = new Set<string>();
  const str = lang === "python" ? pyString : jsString;
  // Echo keys: the parameter's name, or "in.name" when the name is taken (by the body or another location).
  const keys = new Set<string>(e.requestBody ? ["body"] : []);
  const echoKey = (p: Parameter) => {
    let k = keys.has(p.name) ? `${p.in}.${p.name}` : p.name;
    for (let n = 2; keys.has(k); n++) k = `${p.in}.${p.name}.${n}`;
    keys.add(k);
    return k;
  };
  const out: StubParam[] = params.map((p) => {
    const multi = p.in === "query" && p.schemaType === "array";
    const key = p.in === "header" ? p.name.toLowerCase() : p.name;
    const source = p.in === "path" ? (lang === "python" ? "path_params" : "pathParams") : p.in === "header" ? "headers" : multi ? (lang === "python" ? "multi_query" : "multiQuery") : "query";
    const variable = lang === "python" ? unique(pyName(p.name), PY_RESERVED, taken, "_") : unique(jsName(p.name), JS_RESERVED, taken, "");
    return {
      comment: comment(p),
      variable,
      // Node: own properties only, so "__proto__" or "constructor" read the parameter, not Object.prototype.
      read: lang === "python" ? pyRead(variable, source, str(key)) : `own(${source}, ${str(key)})`,
      key: lang === "python" ? str(echoKey(p)) : `[${str(echoKey(p))}]`,
    };
  });
  const title = `${operationId}: ${e.method.toUpperCase()} ${e.path}`;
  const about = [e.summary, e.description].filter(Boolean).join("\n\n");
  const owned = `Lambda function ${functionName}. picofun created this file once and never overwrites it: it is yours to edit. Regenerate (picofun generate or picofun sync) to package your changes.`;
  const bodyDesc = e.requestBody ? `request body (${e.requestBody.contentType}${e.requestBody.required ? ", required" : ""})${e.requestBody.description ? `: ${e.requestBody.description}` : ""}` : "";
  return {
    docstring: lang === "python" ? pyDocstring(title, about, owned) : "",
    header: lang === "node" ? jsComment([title, ...(about ? ["", about] : []), "", owned]) : [],
    operation: str(operationId),
    params: out,
    hasBody: !!e.requestBody,
    hasReceived: out.length > 0 || !!e.requestBody,
    usesPath: params.some((p) => p.in === "path"),
    usesQuery: params.some((p) => p.in === "query" && p.schemaType !== "array"),
    usesMultiQuery: params.some((p) => p.in === "query" && p.schemaType === "array"),
    usesHeaders: params.some((p) => p.in === "header"),
    bodyComment: commentText(bodyDesc),
  };
}

/** Lines of a JS block comment body (` * text`); `*\/` cannot close it early, invisible characters go. */
export function jsComment(paragraphs: string[]): string[] {
  return paragraphs
    .join("\n")
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => commentText(l, 400))
    .join("\n")
    .replace(/\*\//g, "* /")
    .split("\n")
    .slice(0, 40)
    .map((l) => (l.trim() ? ` * ${l.trimEnd()}` : " *"));
}
