/**
 * Request bodies checked against their schema as API Gateway's models check them: JSON Schema
 * draft 4, on the schema the spec writes. Checked: type (one or a list; number takes integers),
 * enum, allOf / anyOf / oneOf (exactly one) / not, minLength / maxLength (code points), pattern,
 * minimum / maximum, exclusiveMaximum (draft 4 boolean), multipleOf, items (one schema or a tuple
 * with additionalItems), uniqueItems, required, properties, patternProperties,
 * additionalProperties, minProperties / maxProperties, dependencies, OpenAPI's nullable.
 * Not checked, as the deployed API does not: minItems / maxItems (dropped by API Gateway's
 * import), exclusiveMinimum (unsupported by API Gateway). Not checked, unconfirmed on AWS:
 * format. docs/serve.md compares this with API Gateway.
 */
import { deref, isObject } from "../spec/schemas.js";

const MAX_DEPTH = 64;

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** JSON with object keys sorted: equal values give equal text (enum, uniqueItems). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

function typeMatches(want: unknown, t: string): boolean {
  const one = (w: unknown) => w === t || (w === "number" && t === "integer");
  return Array.isArray(want) ? want.some(one) : typeof want === "string" ? one(want) : true;
}

function isMultiple(n: number, of: number): boolean {
  if (of <= 0) return true;
  const q = n / of;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

type Check = (doc: Record<string, unknown>, schema: unknown, value: unknown, at: string, depth: number) => string | undefined;

function numberProblem(schema: Record<string, unknown>, n: number, where: string): string | undefined {
  if (typeof schema.minimum === "number" && n < schema.minimum) return `${where} is below ${schema.minimum}`;
  if (typeof schema.maximum === "number") {
    if (schema.exclusiveMaximum === true ? n >= schema.maximum : n > schema.maximum) return `${where} is above ${schema.maximum}${schema.exclusiveMaximum === true ? " (exclusive)" : ""}`;
  }
  if (typeof schema.multipleOf === "number" && !isMultiple(n, schema.multipleOf)) return `${where} is not a multiple of ${schema.multipleOf}`;
  return undefined;
}

function stringProblem(schema: Record<string, unknown>, s: string, where: string): string | undefined {
  const length = [...s].length;
  if (typeof schema.minLength === "number" && length < schema.minLength) return `${where} is too short`;
  if (typeof schema.maxLength === "number" && length > schema.maxLength) return `${where} is too long`;
  if (typeof schema.pattern === "string") {
    let re: RegExp | undefined;
    try {
      re = new RegExp(schema.pattern, "u");
    } catch {
      re = undefined;
    }
    if (re && !re.test(s)) return `${where} does not match ${schema.pattern}`;
  }
  return undefined;
}

function arrayProblem(doc: Record<string, unknown>, schema: Record<string, unknown>, a: unknown[], at: string, depth: number, check: Check): string | undefined {
  if (schema.uniqueItems === true && new Set(a.map(canonical)).size !== a.length) return `${at || "body"} has duplicate items`;
  const tuple = Array.isArray(schema.items) ? (schema.items as unknown[]) : undefined;
  for (let i = 0; i < a.length; i++) {
    const where = `${at}[${i}]`;
    let itemSchema: unknown = tuple ? tuple[i] : schema.items;
    if (tuple && i >= tuple.length) {
      if (schema.additionalItems === false) return `${where} is not allowed`;
      itemSchema = isObject(schema.additionalItems) ? schema.additionalItems : undefined;
    }
    const p = check(doc, itemSchema, a[i], where, depth + 1);
    if (p) return p;
  }
  return undefined;
}

function objectProblem(doc: Record<string, unknown>, schema: Record<string, unknown>, o: Record<string, unknown>, at: string, depth: number, check: Check): string | undefined {
  const keys = Object.keys(o);
  const name = (k: string) => (at ? `${at}.${k}` : k);
  for (const r of Array.isArray(schema.required) ? schema.required : []) if (!Object.hasOwn(o, String(r))) return `${name(String(r))} is required`;
  if (typeof schema.minProperties === "number" && keys.length < schema.minProperties) return `${at || "body"} has too few properties`;
  if (typeof schema.maxProperties === "number" && keys.length > schema.maxProperties) return `${at || "body"} has too many properties`;
  const props = isObject(schema.properties) ? schema.properties : {};
  const patterns = Object.entries(isObject(schema.patternProperties) ? schema.patternProperties : {}).flatMap(([p, s]) => {
    try {
      return [[new RegExp(p, "u"), s] as const];
    } catch {
      return [];
    }
  });
  for (const k of keys) {
    let known = false;
    if (Object.hasOwn(props, k)) {
      known = true;
      const p = check(doc, props[k], o[k], name(k), depth + 1);
      if (p) return p;
    }
    for (const [re, s] of patterns) {
      if (!re.test(k)) continue;
      known = true;
      const p = check(doc, s, o[k], name(k), depth + 1);
      if (p) return p;
    }
    if (known) continue;
    if (schema.additionalProperties === false) return `${name(k)} is not allowed`;
    if (isObject(schema.additionalProperties)) {
      const p = check(doc, schema.additionalProperties, o[k], name(k), depth + 1);
      if (p) return p;
    }
  }
  const deps = isObject(schema.dependencies) ? schema.dependencies : {};
  for (const [k, dep] of Object.entries(deps)) {
    if (!Object.hasOwn(o, k)) continue;
    if (Array.isArray(dep)) {
      for (const d of dep) if (!Object.hasOwn(o, String(d))) return `${name(String(d))} is required with ${name(k)}`;
    } else {
      const p = check(doc, dep, o, at, depth + 1);
      if (p) return p;
    }
  }
  return undefined;
}

/** The first problem of `value` against `schema` (draft 4 as above), or undefined. */
export function schemaProblem(doc: Record<string, unknown>, schemaIn: unknown, value: unknown, at = "", depth = 0): string | undefined {
  const schema = deref(doc, schemaIn);
  if (!schema || depth > MAX_DEPTH) return undefined;
  const where = at || "body";
  if (value === null && schema.nullable === true) return undefined;
  if (Array.isArray(schema.allOf)) {
    for (const s of schema.allOf) {
      const p = schemaProblem(doc, s, value, at, depth + 1);
      if (p) return p;
    }
  }
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => !schemaProblem(doc, s, value, at, depth + 1))) return `${where} matches none of anyOf`;
  if (Array.isArray(schema.oneOf)) {
    const matching = schema.oneOf.filter((s) => !schemaProblem(doc, s, value, at, depth + 1)).length;
    if (matching !== 1) return `${where} matches ${matching} of oneOf (exactly one must match)`;
  }
  if (schema.not !== undefined && !schemaProblem(doc, schema.not, value, at, depth + 1)) return `${where} matches the schema under not`;
  const t = typeOf(value);
  if (!typeMatches(schema.type, t)) return `${where} should be ${Array.isArray(schema.type) ? schema.type.join(" or ") : String(schema.type)}`;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => canonical(e) === canonical(value))) return `${where} is not one of the allowed values`;
  if (t === "string") return stringProblem(schema, value as string, where);
  if (t === "number" || t === "integer") return numberProblem(schema, value as number, where);
  if (t === "array") return arrayProblem(doc, schema, value as unknown[], at, depth, schemaProblem);
  if (t === "object") return objectProblem(doc, schema, value as Record<string, unknown>, at, depth, schemaProblem);
  return undefined;
}
