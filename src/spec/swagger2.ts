import { UserError } from "../util/errors.js";

/**
 * Swagger 2.0 -> OpenAPI 3.0, as a pure function. Only internal `#/...` refs are rewritten;
 * external ones are bundled before conversion. What has no 3.0 equivalent is kept as close
 * as possible and reported in `warnings`.
 */

type Obj = Record<string, unknown>;

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"];
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

function asObj(v: unknown): Obj | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined;
}
function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : undefined;
}

/** A deep copy that keeps shared/cyclic objects (YAML anchors) shared instead of looping. */
function clone<T>(value: T, seen = new Map<object, unknown>()): T {
  if (!value || typeof value !== "object") return value;
  const known = seen.get(value as object);
  if (known) return known as T;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(clone(v, seen));
    return out as T;
  }
  const out: Obj = {};
  seen.set(value as object, out);
  for (const [k, v] of Object.entries(value as Obj)) out[k] = clone(v, seen);
  return out as T;
}

const REF_PREFIXES: Array<[string, string]> = [
  ["#/definitions/", "#/components/schemas/"],
  ["#/parameters/", "#/components/parameters/"],
  ["#/responses/", "#/components/responses/"],
];

export function rewriteRef(ref: string): string {
  for (const [from, to] of REF_PREFIXES) if (ref.startsWith(from)) return to + ref.slice(from.length);
  return ref;
}

/**
 * Calls `visit` once for every plain object reachable from `root` (arrays are walked through).
 * Iterative, so deeply nested documents cannot overflow the stack; shared objects are visited once.
 */
function forEachObject(root: unknown, visit: (o: Obj) => void): void {
  const stack: unknown[] = [root];
  const seen = new Set<object>();
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const o = node as Obj;
    visit(o);
    for (const v of Object.values(o)) if (v && typeof v === "object") stack.push(v);
  }
}

/** Rewrites every internal `$ref` in place. */
function rewriteRefs(root: unknown): void {
  forEachObject(root, (o) => {
    if (typeof o.$ref === "string") o.$ref = rewriteRef(o.$ref);
  });
}

/** 2.0-only schema keywords -> 3.0 ones, in place, over every schema reachable from `root`. */
function fixSchemas(root: unknown): void {
  forEachObject(root, (o) => {
    if (o.type === "file") {
      o.type = "string";
      o.format = "binary";
    }
    if ("x-nullable" in o && typeof o["x-nullable"] === "boolean") {
      o.nullable = o["x-nullable"];
      delete o["x-nullable"];
    }
    if (typeof o.discriminator === "string") o.discriminator = { propertyName: o.discriminator };
  });
}

export function serversFrom(doc: Obj, warnings: string[]): Obj[] {
  let host = typeof doc.host === "string" ? doc.host.trim().replace(/\/+$/, "") : "";
  const written = /^([a-z][a-z0-9+.-]*):\/\//i.exec(host);
  if (written) {
    // `host` must not hold a scheme, but some documents put a whole URL there.
    warnings.push(`host "${host}" includes a scheme; using it as the scheme`);
    host = host.slice(written[0].length);
    if (doc.schemes === undefined) doc = { ...doc, schemes: [written[1].toLowerCase()] };
  }
  let basePath = typeof doc.basePath === "string" ? doc.basePath.trim() : "";
  if (basePath && !basePath.startsWith("/")) basePath = `/${basePath}`;
  basePath = basePath.replace(/\/+$/, "");
  if (!host) {
    // No host: the API lives where the document is served; a relative server says so.
    return basePath ? [{ url: basePath }] : [];
  }
  const schemes = (strings(doc.schemes) ?? []).map((s) => s.toLowerCase()).filter((s) => s === "https" || s === "http" || s === "ws" || s === "wss");
  const ordered = schemes.length ? [...new Set(schemes)].sort((a, b) => rank(a) - rank(b)) : ["https"];
  if (!schemes.length && doc.schemes !== undefined) warnings.push(`schemes ${JSON.stringify(doc.schemes)} has no usable scheme; using https`);
  return ordered.map((scheme) => ({ url: `${scheme}://${host}${basePath}` }));
}

function rank(scheme: string): number {
  return ["https", "http", "wss", "ws"].indexOf(scheme);
}

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

function convertParameter(p: Obj, warnings: string[]): Obj {
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

function bodyFrom(p: Obj, consumes: string[]): Obj {
  const types = consumes.length ? consumes : ["application/json"];
  const content: Obj = {};
  for (const t of types) content[t] = { schema: p.schema ?? {} };
  const out: Obj = { content };
  if (typeof p.description === "string") out.description = p.description;
  if (p.required === true) out.required = true;
  return out;
}

function formBodyFrom(params: Obj[], consumes: string[]): Obj {
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

function convertResponse(r: Obj, produces: string[]): Obj {
  if (typeof r.$ref === "string") return { $ref: rewriteRef(r.$ref) };
  const out: Obj = { description: typeof r.description === "string" ? r.description : "" };
  if (r.schema !== undefined) {
    const types = produces.length ? produces : ["application/json"];
    const examples = asObj(r.examples) ?? {};
    const content: Obj = {};
    for (const t of types) {
      const media: Obj = { schema: r.schema };
      if (t in examples) media.example = examples[t];
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

function convertSecurityScheme(name: string, s: Obj, warnings: string[]): Obj | undefined {
  const description = typeof s.description === "string" ? { description: s.description } : {};
  switch (s.type) {
    case "basic":
      return { type: "http", scheme: "basic", ...description };
    case "apiKey":
      return { type: "apiKey", name: s.name, in: s.in, ...description };
    case "oauth2": {
      const scopes = asObj(s.scopes) ?? {};
      const flows: Obj = {};
      switch (s.flow) {
        case "implicit":
          flows.implicit = { authorizationUrl: s.authorizationUrl, scopes };
          break;
        case "password":
          flows.password = { tokenUrl: s.tokenUrl, scopes };
          break;
        case "application":
          flows.clientCredentials = { tokenUrl: s.tokenUrl, scopes };
          break;
        case "accessCode":
          flows.authorizationCode = { authorizationUrl: s.authorizationUrl, tokenUrl: s.tokenUrl, scopes };
          break;
        default:
          warnings.push(`security scheme "${name}": unknown oauth2 flow ${JSON.stringify(s.flow)}; left out`);
          return undefined;
      }
      return { type: "oauth2", flows, ...description };
    }
    default:
      warnings.push(`security scheme "${name}": unknown type ${JSON.stringify(s.type)}; left out`);
      return undefined;
  }
}

interface Context {
  doc: Obj;
  consumes: string[];
  produces: string[];
  warnings: string[];
}

/** A parameter as written, or the top-level one it refers to (for body/formData refs). */
function targetOf(p: Obj, ctx: Context): Obj {
  if (typeof p.$ref === "string" && p.$ref.startsWith("#/parameters/")) {
    const key = decodeURIComponent(p.$ref.slice("#/parameters/".length)).replace(/~1/g, "/").replace(/~0/g, "~");
    const target = asObj(asObj(ctx.doc.parameters)?.[key]);
    if (target) return target;
  }
  return p;
}

function convertOperation(op: Obj, pathParams: Obj[], ctx: Context): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(op)) {
    if (!["parameters", "responses", "consumes", "produces", "schemes"].includes(k)) out[k] = v;
  }
  const consumes = strings(op.consumes) ?? ctx.consumes;
  const produces = strings(op.produces) ?? ctx.produces;
  const own = (Array.isArray(op.parameters) ? op.parameters : []).map((p) => asObj(p)).filter((p): p is Obj => !!p);
  // Path-level parameters apply unless the operation redefines them (same name and location).
  const key = (p: Obj) => `${String(p.in)}:${String(p.name)}`;
  const ownKeys = new Set(own.map((p) => key(targetOf(p, ctx))));
  const all = [...pathParams.filter((p) => !ownKeys.has(key(targetOf(p, ctx)))), ...own];
  const params: Obj[] = [];
  const form: Obj[] = [];
  let body: Obj | undefined;
  for (const p of all) {
    const target = targetOf(p, ctx);
    if (target.in === "body") body = bodyFrom(target, consumes);
    else if (target.in === "formData") form.push(target);
    else params.push(convertParameter(p, ctx.warnings));
  }
  if (params.length) out.parameters = params;
  if (body && form.length) ctx.warnings.push(`operation ${String(op.operationId ?? "")}: both body and formData parameters; formData ignored`);
  if (body) out.requestBody = body;
  else if (form.length) out.requestBody = formBodyFrom(form, consumes);
  const responses: Obj = {};
  for (const [code, r] of Object.entries(asObj(op.responses) ?? {})) {
    const ro = asObj(r);
    if (ro) responses[code] = code.startsWith("x-") ? ro : convertResponse(ro, produces);
  }
  out.responses = Object.keys(responses).length ? responses : { default: { description: "" } };
  if (strings(op.schemes)?.length && typeof ctx.doc.host === "string") {
    out.servers = serversFrom({ ...ctx.doc, schemes: op.schemes }, ctx.warnings);
  }
  return out;
}

export function convertSwagger2(input: Record<string, unknown>, where: string, warnings: string[]): Record<string, unknown> {
  if (!asObj(input.paths)) throw new UserError(`${where}: the document has no "paths" object`);
  const doc = clone(input);
  const ctx: Context = {
    doc,
    consumes: strings(doc.consumes) ?? [],
    produces: strings(doc.produces) ?? [],
    warnings,
  };
  const out: Obj = { openapi: "3.0.3" };
  for (const [k, v] of Object.entries(doc)) {
    if (k === "info" || k === "tags" || k === "externalDocs" || k === "security" || k.startsWith("x-")) out[k] = v;
  }
  if (!out.info) out.info = { title: "API", version: "" };
  const servers = serversFrom(doc, warnings);
  if (servers.length) out.servers = servers;

  const paths: Obj = {};
  for (const [path, rawItem] of Object.entries(asObj(doc.paths) ?? {})) {
    const item = asObj(rawItem);
    if (!item) continue;
    if (path.startsWith("x-")) {
      paths[path] = item;
      continue;
    }
    const newItem: Obj = {};
    const pathParams = (Array.isArray(item.parameters) ? item.parameters : []).map((p) => asObj(p)).filter((p): p is Obj => !!p);
    for (const [k, v] of Object.entries(item)) {
      if (k === "parameters") continue;
      const op = asObj(v);
      if (METHODS.includes(k) && op) newItem[k] = convertOperation(op, pathParams, ctx);
      else newItem[k] = v;
    }
    paths[path] = newItem;
  }
  out.paths = paths;

  const components: Obj = {};
  if (asObj(doc.definitions)) components.schemas = doc.definitions;
  const parameters: Obj = {};
  for (const [name, raw] of Object.entries(asObj(doc.parameters) ?? {})) {
    const p = asObj(raw);
    // body/formData parameters are inlined into request bodies where they are used.
    if (p && p.in !== "body" && p.in !== "formData") parameters[name] = convertParameter(p, warnings);
  }
  if (Object.keys(parameters).length) components.parameters = parameters;
  const responses: Obj = {};
  for (const [name, raw] of Object.entries(asObj(doc.responses) ?? {})) {
    const r = asObj(raw);
    if (r) responses[name] = convertResponse(r, ctx.produces);
  }
  if (Object.keys(responses).length) components.responses = responses;
  const schemes: Obj = {};
  for (const [name, raw] of Object.entries(asObj(doc.securityDefinitions) ?? {})) {
    const s = asObj(raw);
    const converted = s ? convertSecurityScheme(name, s, warnings) : undefined;
    if (converted) schemes[name] = converted;
  }
  if (Object.keys(schemes).length) components.securitySchemes = schemes;
  if (Object.keys(components).length) out.components = components;

  rewriteRefs(out);
  fixSchemas(out.components);
  fixSchemas(out.paths);
  return out;
}
