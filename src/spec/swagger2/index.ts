import { UserError } from "../../util/errors.js";
import { bodyFrom, convertParameter, convertResponse, formBodyFrom } from "./parameters.js";
import { formFieldName, mediaTypes } from "./keys.js";
import { convertSecurityScheme } from "./security.js";
import { serversFrom } from "./servers.js";
import { asObj, clone, fixSchemas, rewriteRefs, strings, type Obj } from "./walk.js";

/**
 * Swagger 2.0 -> OpenAPI 3.0, as a pure function. Only internal `#/...` refs are rewritten;
 * external ones are bundled before conversion. What has no 3.0 equivalent is kept as close
 * as possible and reported in `warnings`.
 */

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"];

interface Context {
  doc: Obj;
  consumes: string[];
  produces: string[];
  warnings: string[];
  /** The document's location, for errors. */
  where: string;
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

function convertOperation(op: Obj, pathParams: Obj[], ctx: Context, path: string, method: string): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(op)) {
    if (!["parameters", "responses", "consumes", "produces", "schemes"].includes(k)) out[k] = v;
  }
  const consumes = mediaTypes(op.consumes, ["paths", path, method, "consumes"], ctx.where) ?? ctx.consumes;
  const produces = mediaTypes(op.produces, ["paths", path, method, "produces"], ctx.where) ?? ctx.produces;
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
    else if (target.in === "formData") {
      formFieldName(String(target.name), `${method.toUpperCase()} ${path}`, ctx.where);
      form.push(target);
    }
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
    consumes: mediaTypes(doc.consumes, ["consumes"], where) ?? [],
    produces: mediaTypes(doc.produces, ["produces"], where) ?? [],
    warnings,
    where,
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
      if (METHODS.includes(k) && op) newItem[k] = convertOperation(op, pathParams, ctx, path, k);
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
