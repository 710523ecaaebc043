/**
 * Example values from a spec, the one generator of example events (the generated README's and
 * `picofun events`'): a value's `example`, then `examples`, then its `default`, `enum` or
 * `const`, else one made from the schema that satisfies it (bounds, lengths, required
 * properties; arrays as arrays). Objects have no prototype, so a property or parameter named
 * `__proto__` or `constructor` is kept like any other.
 */
import { deref, isObject } from "../spec/schemas.js";
import { setOwn } from "../util/ownKey.js";

type Obj = Record<string, unknown>;
/** Follows `$ref`s: the document's resolver, or `docDeref(doc)`. */
export type Deref = (value: unknown) => Obj | undefined;

export function docDeref(doc: Obj): Deref {
  return (value) => deref(doc, value);
}

/** Values made from one schema at most; past it only required properties and minimum items are made. */
const VALUES_PER_SAMPLE = 200;
const MAX_DEPTH = 8;

/** An object without a prototype: every key is an own property, `__proto__` included. */
export function record(): Obj {
  return Object.create(null) as Obj;
}

export function setKey(target: Obj, key: string, value: unknown): void {
  setOwn(target, key, value);
}

function firstExample(d: Deref, holder: Obj): { value: unknown } | undefined {
  if ("example" in holder) return { value: holder.example };
  if (isObject(holder.examples)) {
    for (const e of Object.values(holder.examples)) {
      const x = d(e);
      if (x && "value" in x) return { value: x.value };
    }
  }
  if (Array.isArray(holder.examples) && holder.examples.length) return { value: holder.examples[0] };
  return undefined;
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** A number in the schema's bounds: `preferred` when it fits. */
function inBounds(schema: Obj, preferred: number, integer: boolean): number {
  const step = integer ? 1 : 0.5;
  let lo = num(schema.minimum);
  let hi = num(schema.maximum);
  // Draft 4 writes exclusive bounds as booleans beside the bound, later drafts as the bound itself.
  if (num(schema.exclusiveMinimum) !== undefined) lo = Math.max(lo ?? -Infinity, num(schema.exclusiveMinimum)! + step);
  else if (schema.exclusiveMinimum === true && lo !== undefined) lo += step;
  if (num(schema.exclusiveMaximum) !== undefined) hi = Math.min(hi ?? Infinity, num(schema.exclusiveMaximum)! - step);
  else if (schema.exclusiveMaximum === true && hi !== undefined) hi -= step;
  if (integer) {
    if (lo !== undefined) lo = Math.ceil(lo);
    if (hi !== undefined) hi = Math.floor(hi);
  }
  let v = preferred;
  if (lo !== undefined && v < lo) v = lo;
  if (hi !== undefined && v > hi) v = hi;
  const m = num(schema.multipleOf);
  if (m && m > 0 && !Number.isInteger(v / m)) {
    const k = lo !== undefined ? Math.ceil(lo / m) : Math.round(v / m);
    v = k * m;
  }
  return v;
}

const FORMATS: Record<string, string> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  time: "00:00:00Z",
  email: "user@example.com",
  uuid: "00000000-0000-4000-8000-000000000000",
  uri: "https://example.com",
  url: "https://example.com",
  hostname: "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  byte: "ZXhhbXBsZQ==",
};

function sampleString(schema: Obj, name: string): string {
  let s = typeof schema.format === "string" && FORMATS[schema.format] ? FORMATS[schema.format] : `${name}-1`;
  const points = Array.from(s);
  const min = num(schema.minLength) ?? 0;
  const max = num(schema.maxLength);
  if (max !== undefined && points.length > max) s = points.slice(0, Math.max(0, max)).join("");
  const have = Array.from(s).length;
  if (have < min) s += "x".repeat(min - have);
  return s;
}

function typeOf(schema: Obj): string | undefined {
  if (Array.isArray(schema.type)) return (schema.type.find((t) => t !== "null") ?? schema.type[0]) as string | undefined;
  if (typeof schema.type === "string") return schema.type;
  if (isObject(schema.properties) || Array.isArray(schema.required)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

function sampleObject(d: Deref, schema: Obj, depth: number, budget: { left: number }): Obj {
  const out = record();
  const props = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : []);
  for (const key of Object.keys(props)) {
    if (!required.has(key) && (budget.left <= 0 || d(props[key])?.readOnly === true)) continue;
    setKey(out, key, sample(d, props[key], key, depth + 1, budget));
  }
  return out;
}

function sample(d: Deref, schemaIn: unknown, name: string, depth: number, budget: { left: number }): unknown {
  const schema = d(schemaIn);
  if (!schema || depth > MAX_DEPTH) return null;
  budget.left--;
  const ex = firstExample(d, schema);
  if (ex) return ex.value;
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.allOf) && schema.allOf.length) {
    const parts = schema.allOf.map((s) => sample(d, s, name, depth + 1, budget));
    if (parts.every((p) => isObject(p))) {
      const merged = isObject(schema.properties) ? sampleObject(d, schema, depth, budget) : record();
      for (const p of parts) for (const k of Object.keys(p as Obj)) setKey(merged, k, (p as Obj)[k]);
      return merged;
    }
    return parts[0];
  }
  for (const key of ["oneOf", "anyOf"]) {
    const list = schema[key];
    if (Array.isArray(list) && list.length) return sample(d, list[0], name, depth + 1, budget);
  }
  switch (typeOf(schema)) {
    case "object":
      return sampleObject(d, schema, depth, budget);
    case "array": {
      const min = Math.max(0, num(schema.minItems) ?? 0);
      const max = num(schema.maxItems);
      const count = Math.min(Math.max(min, budget.left > 0 ? 1 : 0), max ?? Infinity);
      const items = Array.isArray(schema.items) ? schema.items : undefined;
      return Array.from({ length: count }, (_, i) => sample(d, items ? items[Math.min(i, items.length - 1)] : schema.items, name, depth + 1, budget));
    }
    case "integer":
      return inBounds(schema, 1, true);
    case "number":
      return inBounds(schema, 1.5, false);
    case "boolean":
      return true;
    case "string":
      return sampleString(schema, name);
    default:
      return null;
  }
}

export function sampleFromSchema(d: Deref, schema: unknown, name = "value"): unknown {
  return sample(d, schema, name, 0, { left: VALUES_PER_SAMPLE });
}

/** A parameter's example: its own, else its schema's (or its first content type's). */
export function sampleParameter(d: Deref, p: Obj): unknown {
  const ex = firstExample(d, p);
  if (ex) return ex.value;
  let schema = p.schema;
  if (schema === undefined && isObject(p.content)) {
    const media = d(Object.values(p.content)[0]);
    const own = media && firstExample(d, media);
    if (own) return own.value;
    schema = media?.schema;
  }
  return sampleFromSchema(d, schema, String(p.name ?? "value"));
}

/** The parameters of an operation (path item's, overridden by the operation's), dereferenced. */
export function operationParameters(d: Deref, item: Obj, op: Obj): Obj[] {
  const byKey = new Map<string, Obj>();
  for (const p of [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
    const x = d(p);
    if (x) byKey.set(`${String(x.in)}:${String(x.name)}`, x);
  }
  return [...byKey.values()];
}

/** The request body's example for `type` (default: its JSON media type, else its first). */
export function sampleBody(d: Deref, requestBody: unknown, type?: string): { contentType: string; value: unknown } | undefined {
  const body = d(requestBody);
  if (!body || !isObject(body.content)) return undefined;
  const types = Object.keys(body.content);
  const chosen = type && types.includes(type) ? type : (types.find((t) => /json/i.test(t)) ?? types[0]);
  if (!chosen) return undefined;
  const media = d(body.content[chosen]) ?? {};
  const ex = firstExample(d, media);
  if (ex) return { contentType: chosen, value: ex.value };
  // No schema: any body will do; an empty object (JSON) or text.
  if (media.schema === undefined) return { contentType: chosen, value: /json/i.test(chosen) ? record() : "" };
  return { contentType: chosen, value: sampleFromSchema(d, media.schema, "body") };
}
