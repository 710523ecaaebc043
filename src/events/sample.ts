/** Example values from a spec: `example`, then `examples`, `default`, `enum`, else one made from the schema. */
import { deref, isObject } from "../api/schemas.js";

function firstExample(doc: Record<string, unknown>, holder: Record<string, unknown>): { value: unknown } | undefined {
  if ("example" in holder) return { value: holder.example };
  if (isObject(holder.examples)) {
    for (const e of Object.values(holder.examples)) {
      const d = deref(doc, e);
      if (d && "value" in d) return { value: d.value };
    }
  }
  if (Array.isArray(holder.examples) && holder.examples.length) return { value: holder.examples[0] };
  return undefined;
}

export function sampleFromSchema(doc: Record<string, unknown>, schemaIn: unknown, name = "value", depth = 0): unknown {
  const schema = deref(doc, schemaIn);
  if (!schema || depth > 8) return null;
  const ex = firstExample(doc, schema);
  if (ex) return ex.value;
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if ("const" in schema) return schema.const;
  for (const key of ["allOf"]) {
    if (Array.isArray(schema[key])) {
      const parts = (schema[key] as unknown[]).map((s) => sampleFromSchema(doc, s, name, depth + 1));
      if (parts.every((p) => isObject(p))) return Object.assign({}, ...parts);
    }
  }
  for (const key of ["oneOf", "anyOf"]) if (Array.isArray(schema[key]) && (schema[key] as unknown[]).length) return sampleFromSchema(doc, (schema[key] as unknown[])[0], name, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "object" || isObject(schema.properties)) {
    const out: Record<string, unknown> = {};
    const props = isObject(schema.properties) ? schema.properties : {};
    for (const [k, v] of Object.entries(props)) {
      const d = deref(doc, v);
      if (d?.readOnly === true) continue;
      out[k] = sampleFromSchema(doc, v, k, depth + 1);
    }
    return out;
  }
  if (type === "array") return [sampleFromSchema(doc, schema.items, name, depth + 1)];
  if (type === "integer") return typeof schema.minimum === "number" ? Math.ceil(schema.minimum) : 1;
  if (type === "number") return typeof schema.minimum === "number" ? schema.minimum : 1.5;
  if (type === "boolean") return true;
  if (type === "string") {
    const formats: Record<string, string> = { "date-time": "2024-01-01T00:00:00Z", date: "2024-01-01", email: "user@example.com", uuid: "00000000-0000-4000-8000-000000000000", uri: "https://example.com" };
    if (typeof schema.format === "string" && formats[schema.format]) return formats[schema.format];
    return `${name}-1`;
  }
  return null;
}

/** A parameter's example. */
export function sampleParameter(doc: Record<string, unknown>, p: Record<string, unknown>): unknown {
  const ex = firstExample(doc, p);
  if (ex) return ex.value;
  return sampleFromSchema(doc, p.schema, String(p.name ?? "value"));
}

/** The parameters of an operation (path item's, overridden by the operation's), dereferenced. */
export function operationParameters(doc: Record<string, unknown>, item: Record<string, unknown>, op: Record<string, unknown>): Record<string, unknown>[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const p of [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
    const d = deref(doc, p);
    if (d) byKey.set(`${d.in}:${d.name}`, d);
  }
  return [...byKey.values()];
}

/** The request body's example for its first (or JSON) media type. */
export function sampleBody(doc: Record<string, unknown>, op: Record<string, unknown>): { contentType: string; value: unknown } | undefined {
  const body = deref(doc, op.requestBody);
  if (!body || !isObject(body.content)) return undefined;
  const types = Object.keys(body.content);
  const type = types.find((t) => /json/i.test(t)) ?? types[0];
  if (!type) return undefined;
  const media = deref(doc, (body.content as Record<string, unknown>)[type]) ?? {};
  const ex = firstExample(doc, media);
  return { contentType: type, value: ex ? ex.value : sampleFromSchema(doc, media.schema, "body") };
}
