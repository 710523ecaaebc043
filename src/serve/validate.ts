/**
 * The request validator the deployed API runs for an operation: required path, query and header
 * parameters present, and a JSON body matching its schema (API Gateway's JSON Schema draft 4
 * subset: type, required, properties, additionalProperties, items, enum, lengths and bounds).
 */
import { deref, isObject } from "../api/schemas.js";
import { headerValue, type RawRequest } from "./event.js";

export type Invalid = { message: string };

function params(doc: Record<string, unknown>, item: Record<string, unknown>, op: Record<string, unknown>): Record<string, unknown>[] {
  const all = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])];
  const byKey = new Map<string, Record<string, unknown>>();
  for (const p of all) {
    const d = deref(doc, p);
    if (d) byKey.set(`${d.in}:${d.name}`, d);
  }
  return [...byKey.values()];
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** The first problem of `value` against `schema`, or undefined. */
export function schemaProblem(doc: Record<string, unknown>, schemaIn: unknown, value: unknown, at = "", depth = 0): string | undefined {
  const schema = deref(doc, schemaIn);
  if (!schema || depth > 64) return undefined;
  if (value === null && schema.nullable === true) return undefined;
  for (const key of ["allOf"] as const) {
    if (Array.isArray(schema[key])) for (const s of schema[key] as unknown[]) {
      const p = schemaProblem(doc, s, value, at, depth + 1);
      if (p) return p;
    }
  }
  for (const key of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(schema[key]) && !(schema[key] as unknown[]).some((s) => !schemaProblem(doc, s, value, at, depth + 1))) return `${at || "body"} matches none of ${key}`;
  }
  const t = typeOf(value);
  const want = schema.type;
  if (typeof want === "string" && !(want === t || (want === "number" && t === "integer"))) return `${at || "body"} should be ${want}`;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return `${at || "body"} is not one of the allowed values`;
  if (t === "string") {
    const s = value as string;
    if (typeof schema.minLength === "number" && s.length < schema.minLength) return `${at || "body"} is too short`;
    if (typeof schema.maxLength === "number" && s.length > schema.maxLength) return `${at || "body"} is too long`;
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(s)) return `${at || "body"} does not match ${schema.pattern}`;
  }
  if (t === "number" || t === "integer") {
    const n = value as number;
    if (typeof schema.minimum === "number" && n < schema.minimum) return `${at || "body"} is below ${schema.minimum}`;
    if (typeof schema.maximum === "number" && n > schema.maximum) return `${at || "body"} is above ${schema.maximum}`;
  }
  if (t === "array") {
    const a = value as unknown[];
    if (typeof schema.minItems === "number" && a.length < schema.minItems) return `${at || "body"} has too few items`;
    if (typeof schema.maxItems === "number" && a.length > schema.maxItems) return `${at || "body"} has too many items`;
    for (let i = 0; i < a.length; i++) {
      const p = schemaProblem(doc, schema.items, a[i], `${at}[${i}]`, depth + 1);
      if (p) return p;
    }
  }
  if (t === "object") {
    const o = value as Record<string, unknown>;
    const props = isObject(schema.properties) ? schema.properties : {};
    for (const r of Array.isArray(schema.required) ? schema.required : []) if (!(String(r) in o)) return `${at ? `${at}.` : ""}${r} is required`;
    for (const [k, v] of Object.entries(o)) {
      const where = at ? `${at}.${k}` : k;
      if (k in props) {
        const p = schemaProblem(doc, props[k], v, where, depth + 1);
        if (p) return p;
      } else if (schema.additionalProperties === false) return `${where} is not allowed`;
      else if (isObject(schema.additionalProperties)) {
        const p = schemaProblem(doc, schema.additionalProperties, v, where, depth + 1);
        if (p) return p;
      }
    }
  }
  return undefined;
}

/** What the operation's request validator would refuse (400), or undefined. */
export function validateRequest(doc: Record<string, unknown>, item: Record<string, unknown>, op: Record<string, unknown>, req: RawRequest): Invalid | undefined {
  const missing: string[] = [];
  for (const p of params(doc, item, op)) {
    if (p.required !== true) continue;
    const name = String(p.name);
    if (p.in === "query" && !req.query.some(([k]) => k === name)) missing.push(name);
    if (p.in === "header" && headerValue(req.headers, name) === undefined) missing.push(name);
  }
  if (missing.length) return { message: `Missing required request parameters: [${missing.join(", ")}]` };
  const body = deref(doc, op.requestBody);
  if (!body || !isObject(body.content)) return undefined;
  const type = (headerValue(req.headers, "content-type") ?? "application/json").split(";")[0].trim().toLowerCase();
  const media = deref(doc, (body.content as Record<string, unknown>)[type]) ?? (type === "application/json" ? undefined : undefined);
  if (!req.body.length) return body.required === true ? { message: "Invalid request body" } : undefined;
  if (!media || !isObject(media.schema) || !/json/.test(type)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(req.body.toString("utf8"));
  } catch {
    return { message: "Invalid request body" };
  }
  const problem = schemaProblem(doc, media.schema, value);
  return problem ? { message: "Invalid request body" } : undefined;
}
