/** JSON Schema -> Python type expressions (standard library only) for the typed handlers. */
import { pyString } from "../render/escape.js";
import { modelOf, schemaRefName, type Json } from "./refs.js";

// Python's constants, and the TypeScript globals models.ts itself uses or shadows.
const PY_WORDS = new Set(["False", "None", "True", "Any", "T", "R", "Record", "Array", "Promise", "Object", "String", "Number", "Boolean", "Date", "Error", "Map", "Set", "Partial", "Required", "Readonly", "Pick", "Omit", "Function", "Symbol", "Uint8Array"]);

/** Component schema names -> unique Python class names (PascalCase identifiers). */
export function pyModelNames(names: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of [...names].sort()) {
    const parts = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").split(/[^A-Za-z0-9]+/).filter(Boolean);
    let base = parts.map((p) => p[0].toUpperCase() + p.slice(1)).join("") || "Model";
    if (/^[0-9]/.test(base)) base = `M${base}`;
    if (PY_WORDS.has(base)) base = `${base}Model`;
    let v = base;
    for (let n = 2; taken.has(v.toLowerCase()); n++) v = `${base}${n}`;
    taken.add(v.toLowerCase());
    out.set(name, v);
  }
  return out;
}

export interface PyTypeContext {
  models: Map<string, string>;
  /** Prefix for model names (e.g. `models.` outside models.py). */
  prefix: string;
  /** Quote model names (forward references inside models.py). */
  quote: boolean;
}

const MAX_DEPTH = 12;

function union(parts: string[]): string {
  const seen = [...new Set(parts)];
  if (seen.includes("object")) return "object";
  return seen.join(" | ");
}

function literal(values: unknown[]): string | undefined {
  const items: string[] = [];
  let nullable = false;
  for (const v of values) {
    if (v === null) nullable = true;
    else if (typeof v === "string") items.push(pyString(v));
    else if (typeof v === "boolean") items.push(v ? "True" : "False");
    else if (typeof v === "number" && Number.isSafeInteger(v)) items.push(String(v));
    else return undefined;
  }
  if (!items.length) return nullable ? "None" : undefined;
  const lit = `Literal[${[...new Set(items)].join(", ")}]`;
  return nullable ? `${lit} | None` : lit;
}

/** A Python type for a schema; anything it cannot describe precisely is `object`. */
export function pyType(schema: unknown, ctx: PyTypeContext, depth = 0): string {
  if (!schema || typeof schema !== "object" || Array.isArray(schema) || depth > MAX_DEPTH) return "object";
  const s = schema as Json;
  const ref = schemaRefName(s.$ref);
  if (ref !== undefined) {
    const name = modelOf(ctx.models, ref);
    if (!name) return "object";
    return ctx.quote ? `"${ctx.prefix}${name}"` : `${ctx.prefix}${name}`;
  }
  if (typeof s.$ref === "string") return "object";
  const nullable = s.nullable === true || (Array.isArray(s.type) && s.type.includes("null"));
  const t = bare(s, ctx, depth);
  return nullable && t !== "object" && !t.split(" | ").includes("None") ? `${t} | None` : t;
}

function bare(s: Json, ctx: PyTypeContext, depth: number): string {
  if (Array.isArray(s.enum) && s.enum.length) {
    const lit = literal(s.enum);
    if (lit) return lit;
  }
  for (const key of ["oneOf", "anyOf"] as const) {
    const list = s[key];
    if (Array.isArray(list) && list.length) return union(list.map((x) => pyType(x, ctx, depth + 1)));
  }
  if (Array.isArray(s.allOf) && s.allOf.length === 1) return pyType(s.allOf[0], ctx, depth + 1);
  const types = Array.isArray(s.type) ? (s.type as unknown[]).filter((t) => t !== "null") : [s.type];
  if (types.length !== 1) return "object";
  switch (types[0]) {
    case "string":
      return "str";
    case "integer":
      return "int";
    case "number":
      return "float";
    case "boolean":
      return "bool";
    case "array":
      return `list[${pyType(s.items, ctx, depth + 1)}]`;
    case "object": {
      const extra = s.additionalProperties;
      if (!s.properties && extra && typeof extra === "object") return `dict[str, ${pyType(extra, ctx, depth + 1)}]`;
      return "dict[str, object]";
    }
    default:
      return "object";
  }
}
