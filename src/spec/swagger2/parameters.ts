/** Swagger 2.0 parameters, bodies (body and formData) and responses as OpenAPI 3 ones. */
import { asObj, rewriteRef, type Obj } from "./walk.js";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
/** Keys of a 2.0 non-body parameter that describe its value (they move into `schema`). */
const SCHEMA_KEYS = [
  "type",
  "format",
  "items",
  "default",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "enum",
  "multipleOf",
];

/** collectionFormat -> style/explode for a parameter in `where`. */
function collectionStyle(format: string | undefined, where: string, name: string, warnings: string[]): Obj {
  switch (format ?? "csv") {
    case "multi":
      return where === "query" || where === "cookie" ? { style: "form", explode: true } : {};
    case "ssv":
      return where === "query" ? { style: "spaceDelimited", explode: false } : {};
    case "pipes":
      return where === "query" ? { style: "pipeDelimited", explode: false } : {};
    case "tsv":
      warnings.push(`parameter "${name}": collectionFormat tsv has no OpenAPI 3 equivalent; sent comma-separated`);
      return where === "query" || where === "cookie" ? { style: "form", explode: false } : { style: "simple" };
    default:
      return where === "query" || where === "cookie" ? { style: "form", explode: false } : { style: "simple" };
  }
}

/** Builds a 3.0 schema out of a 2.0 non-body parameter, header or items object. */
function schemaOf(p: Obj): Obj {
  const schema: Obj = {};
  for (const k of SCHEMA_KEYS) if (k in p) schema[k] = k === "items" ? schemaOf(asObj(p.items) ?? {}) : p[k];
  if (typeof p.$ref === "string") return { $ref: p.$ref };
  if (schema.type === "file") {
    schema.type = "string";
    schema.format = "binary";
  }
  return schema;
}

export function convertParameter(p: Obj, warnings: string[]): Obj {
  if (typeof p.$ref === "string") return { $ref: rewriteRef(p.$ref) };
  const where = String(p.in);
  const out: Obj = { name: p.name, in: where };
  if (typeof p.description === "string") out.description = p.description;
  if (p.required === true || where === "path") out.required = true;
  if (p.allowEmptyValue === true) out.allowEmptyValue = true;
  const schema = schemaOf(p);
  out.schema = schema;
  if (schema.type === "array") Object.assign(out, collectionStyle(p.collectionFormat as string | undefined, where, String(p.name), warnings));
  for (const [k, v] of Object.entries(p)) if (k.startsWith("x-")) out[k] = v;
  return out;
}

export function bodyFrom(p: Obj, consumes: string[]): Obj {
  const types = consumes.length ? consumes : ["application/json"];
  const content: Obj = {};
  for (const t of types) content[t] = { schema: p.schema ?? {} };
  const out: Obj = { content };
  if (typeof p.description === "string") out.description = p.description;
  if (p.required === true) out.required = true;
  return out;
}

export function formBodyFrom(params: Obj[], consumes: string[]): Obj {
  const properties: Obj = {};
  const required: string[] = [];
  let hasFile = false;
  for (const p of params) {
    const name = String(p.name);
    const schema = schemaOf(p);
    if (p.type === "file") hasFile = true;
    if (typeof p.description === "string") schema.description = p.description;
    properties[name] = schema;
    if (p.required === true) required.push(name);
  }
  const schema: Obj = { type: "object", properties };
  if (required.length) schema.required = required;
  let types = consumes.filter((t) => FORM_TYPES.includes(t.split(";")[0].trim().toLowerCase()));
  if (!types.length) types = [hasFile ? "multipart/form-data" : "application/x-www-form-urlencoded"];
  const content: Obj = {};
  for (const t of types) content[t] = { schema };
  return { content, ...(required.length ? { required: true } : {}) };
}

export function convertResponse(r: Obj, produces: string[]): Obj {
  if (typeof r.$ref === "string") return { $ref: rewriteRef(r.$ref) };
  const out: Obj = { description: typeof r.description === "string" ? r.description : "" };
  if (r.schema !== undefined) {
    const types = produces.length ? produces : ["application/json"];
    const examples = asObj(r.examples) ?? {};
    const content: Obj = {};
    for (const t of types) {
      const media: Obj = { schema: r.schema };
      if (Object.hasOwn(examples, t)) media.example = examples[t];
      content[t] = media;
    }
    out.content = content;
  }
  const headers = asObj(r.headers);
  if (headers) {
    const h: Obj = {};
    for (const [name, raw] of Object.entries(headers)) {
      const ho = asObj(raw) ?? {};
      h[name] = { ...(typeof ho.description === "string" ? { description: ho.description } : {}), schema: schemaOf(ho) };
    }
    out.headers = h;
  }
  for (const [k, v] of Object.entries(r)) if (k.startsWith("x-")) out[k] = v;
  return out;
}
