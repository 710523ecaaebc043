import { RefResolver } from "../spec/refs.js";
import type { LoadedSpec } from "../spec/load.js";
import { sampleBody, sampleParameter, type Deref } from "../events/sample.js";
import {
  HTTP_METHODS,
  type ApiModel,
  type Endpoint,
  type HttpMethod,
  type Parameter,
  type ParameterLocation,
  type RequestBody,
  type SecurityRequirement,
  type SecurityScheme,
  type Server,
} from "./types.js";

type Obj = Record<string, unknown>;

const LOCATIONS = new Set<ParameterLocation>(["path", "query", "header", "cookie"]);

function asObj(v: unknown): Obj | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined;
}
function asStr(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Builds the internal model from a loaded document, following only the refs it needs. */
export function buildModel(spec: LoadedSpec): ApiModel {
  const doc = spec.doc;
  const refs = new RefResolver(doc, spec.source.location);
  const info = asObj(doc.info) ?? {};
  const components = asObj(doc.components) ?? {};
  const model: ApiModel = {
    title: asStr(info.title) ?? "API",
    version: asStr(info.version) ?? "",
    description: asStr(info.description),
    openapiVersion: spec.version,
    servers: readServers(doc.servers),
    endpoints: [],
    securitySchemes: readSecuritySchemes(asObj(components.securitySchemes), refs),
    security: readSecurity(doc.security),
    location: spec.source.location,
    locationIsUrl: spec.source.isUrl,
  };

  const paths = asObj(doc.paths) ?? {};
  for (const path of Object.keys(paths)) {
    const item = refs.deref<Obj>(paths[path]);
    if (!item || typeof item !== "object") continue;
    const shared = readParameters(item.parameters, refs);
    const pathServers = Array.isArray(item.servers) && item.servers.length ? readServers(item.servers) : undefined;
    for (const method of HTTP_METHODS) {
      const op = refs.deref<Obj>(item[method]);
      if (!op || typeof op !== "object") continue;
      model.endpoints.push(buildEndpoint(path, method, op, shared, pathServers, refs));
    }
  }
  return model;
}

function buildEndpoint(
  path: string,
  method: HttpMethod,
  op: Obj,
  shared: Parameter[],
  pathServers: Server[] | undefined,
  refs: RefResolver,
): Endpoint {
  const own = readParameters(op.parameters, refs);
  const merged = new Map<string, Parameter>();
  for (const p of shared) merged.set(`${p.in}:${p.name}`, p);
  for (const p of own) merged.set(`${p.in}:${p.name}`, p);
  const opServers = Array.isArray(op.servers) && op.servers.length ? readServers(op.servers) : undefined;
  const tags = Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === "string") : [];
  return {
    method,
    path,
    operationId: asStr(op.operationId),
    summary: asStr(op.summary),
    description: asStr(op.description),
    tags,
    deprecated: op.deprecated === true,
    parameters: [...merged.values()],
    requestBody: readRequestBody(op.requestBody, refs),
    security: readSecurity(op.security),
    servers: opServers ?? pathServers,
    responses: Object.keys(asObj(op.responses) ?? {}),
  };
}

/** For examples: a `$ref` generation itself never follows may point to nothing; no example then, never an error. */
function derefWith(refs: RefResolver): Deref {
  return (value) => {
    try {
      const v = refs.deref<unknown>(value);
      return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined;
    } catch {
      return undefined;
    }
  };
}

export function readParameters(list: unknown, refs: RefResolver): Parameter[] {
  if (!Array.isArray(list)) return [];
  const out: Parameter[] = [];
  for (const entry of list) {
    const p = refs.deref<Obj>(entry);
    if (!p || typeof p !== "object") continue;
    const name = asStr(p.name);
    const where = asStr(p.in) as ParameterLocation | undefined;
    if (!name || !where || !LOCATIONS.has(where)) continue;
    const schema = refs.deref<Obj>(p.schema) ?? firstContentSchema(p.content, refs);
    out.push({
      name,
      in: where,
      required: where === "path" ? true : p.required === true,
      description: asStr(p.description),
      style: asStr(p.style),
      explode: typeof p.explode === "boolean" ? p.explode : undefined,
      allowReserved: p.allowReserved === true,
      schemaType: schemaType(schema),
      deprecated: p.deprecated === true,
      example: sampleParameter(derefWith(refs), p),
    });
  }
  return out;
}

function firstContentSchema(content: unknown, refs: RefResolver): Obj | undefined {
  const c = asObj(content);
  if (!c) return undefined;
  const first = Object.values(c)[0];
  return refs.deref<Obj>(asObj(first)?.schema);
}

function schemaType(schema: Obj | undefined): string | undefined {
  if (!schema) return undefined;
  const t = schema.type;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.find((x) => x !== "null") as string | undefined;
  if (schema.items) return "array";
  if (schema.properties) return "object";
  return undefined;
}

const JSONISH = /^application\/(.+\+)?json$/i;

/** Prefers JSON, then form encoding, then whatever comes first. */
export function pickContentType(types: string[]): string {
  return (
    types.find((t) => JSONISH.test(t.split(";")[0].trim())) ??
    types.find((t) => /^application\/x-www-form-urlencoded/i.test(t)) ??
    types[0]
  );
}

function readRequestBody(value: unknown, refs: RefResolver): RequestBody | undefined {
  const body = refs.deref<Obj>(value);
  if (!body || typeof body !== "object") return undefined;
  const content = asObj(body.content) ?? {};
  const types = Object.keys(content);
  if (!types.length) return undefined;
  const contentType = pickContentType(types);
  return {
    contentType,
    contentTypes: types,
    required: body.required === true,
    description: asStr(body.description),
    example: sampleBody(derefWith(refs), body, contentType)?.value,
  };
}

export function readServers(value: unknown): Server[] {
  if (!Array.isArray(value)) return [];
  const out: Server[] = [];
  for (const s of value) {
    const o = asObj(s);
    const url = asStr(o?.url);
    if (!o || url === undefined) continue;
    const variables: Server["variables"] = {};
    for (const [name, v] of Object.entries(asObj(o.variables) ?? {})) {
      const vo = asObj(v) ?? {};
      variables[name] = {
        default: vo.default === undefined ? undefined : String(vo.default),
        enum: Array.isArray(vo.enum) ? vo.enum.map(String) : undefined,
        description: asStr(vo.description),
      };
    }
    out.push({ url, description: asStr(o.description), variables });
  }
  return out;
}

function readSecurity(value: unknown): SecurityRequirement[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .map((r) => asObj(r))
    .filter((r): r is Obj => !!r)
    .map((r) => {
      const req: SecurityRequirement = {};
      for (const [k, v] of Object.entries(r)) req[k] = Array.isArray(v) ? v.map(String) : [];
      return req;
    });
}

function readSecuritySchemes(value: Obj | undefined, refs: RefResolver): Record<string, SecurityScheme> {
  const out: Record<string, SecurityScheme> = {};
  for (const [name, raw] of Object.entries(value ?? {})) {
    const s = refs.deref<Obj>(raw);
    if (!s || typeof s !== "object") continue;
    out[name] = {
      name,
      type: asStr(s.type) ?? "unknown",
      scheme: asStr(s.scheme)?.toLowerCase(),
      in: asStr(s.in),
      paramName: asStr(s.name),
      bearerFormat: asStr(s.bearerFormat),
      flows: asObj(s.flows),
      openIdConnectUrl: asStr(s.openIdConnectUrl),
      description: asStr(s.description),
    };
  }
  return out;
}
