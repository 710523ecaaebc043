/**
 * Gateway behaviour written into the API definition: request validators, binary media types,
 * JSON gateway responses and CORS (OPTIONS mock integrations and CORS headers on gateway errors).
 * What the spec already sets (its own x-amazon-apigateway-* values) is kept.
 */
import { HTTP_METHODS } from "../../../model/types.js";
import { deref, isObject } from "../../../spec/schemas.js";

export const VALIDATORS_KEY = "x-amazon-apigateway-request-validators";
export const VALIDATOR_KEY = "x-amazon-apigateway-request-validator";
export const BINARY_KEY = "x-amazon-apigateway-binary-media-types";
export const GATEWAY_RESPONSES_KEY = "x-amazon-apigateway-gateway-responses";

export interface CorsConfig {
  origins: string[];
  methods?: string[];
  headers?: string[];
  maxAge?: number;
}

/** The validators picofun defines (merged with the spec's own, which win). */
export const VALIDATORS: Record<string, { validateRequestBody: boolean; validateRequestParameters: boolean }> = {
  all: { validateRequestBody: true, validateRequestParameters: true },
  "body-only": { validateRequestBody: true, validateRequestParameters: false },
  "params-only": { validateRequestBody: false, validateRequestParameters: true },
};

/** Media types API Gateway must pass as binary (everything that is not text). */
export function isBinaryType(type: string): boolean {
  const t = type.split(";")[0].trim().toLowerCase();
  if (!t || t === "*/*") return false;
  if (t.startsWith("text/")) return false;
  if (/[/+](json|xml|yaml)$/.test(t) || t.endsWith("-json")) return false;
  return !["application/x-www-form-urlencoded", "application/javascript", "application/x-yaml", "application/graphql", "application/x-ndjson"].includes(t);
}

function contentTypes(content: unknown, into: Set<string>): void {
  if (isObject(content)) for (const t of Object.keys(content)) into.add(t);
}

/** The validator an operation needs: parameters when it has required ones, the body when it has a schema. */
function validatorFor(doc: Record<string, unknown>, item: Record<string, unknown>, op: Record<string, unknown>): string | undefined {
  const params = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])];
  const required = params.some((p) => {
    const d = deref(doc, p);
    return !!d && d.required === true && ["path", "query", "header"].includes(String(d.in));
  });
  const body = deref(doc, op.requestBody);
  const schema = !!body && isObject(body.content) && Object.values(body.content).some((m) => isObject(m) && isObject(m.schema));
  if (required && schema) return "all";
  if (schema) return "body-only";
  if (required) return "params-only";
  return undefined;
}

/** Request validators and binary media types from the operations of the definition. */
export function applyValidationAndBinary(doc: Record<string, unknown>): { validated: number; binary: string[] } {
  const defined = isObject(doc[VALIDATORS_KEY]) ? (doc[VALIDATORS_KEY] as Record<string, unknown>) : {};
  const hasDefault = typeof doc[VALIDATOR_KEY] === "string";
  const usedOurs = new Set<string>();
  let validated = 0;
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      if (typeof op[VALIDATOR_KEY] === "string" || hasDefault) continue;
      const v = validatorFor(doc, item, op);
      if (!v) continue;
      // A validator of the spec's own with the same name wins; ours get a prefix then.
      const name = v in defined && JSON.stringify(defined[v]) !== JSON.stringify(VALIDATORS[v]) ? `picofun-${v}` : v;
      op[VALIDATOR_KEY] = name;
      usedOurs.add(`${name}\u0000${v}`);
      validated++;
    }
  }
  if (usedOurs.size || Object.keys(defined).length) {
    const merged: Record<string, unknown> = { ...defined };
    for (const pair of usedOurs) {
      const [name, v] = pair.split("\u0000");
      merged[name] ??= VALIDATORS[v];
    }
    doc[VALIDATORS_KEY] = merged;
  }
  const binary = binaryMediaTypes(doc);
  if (binary.length) doc[BINARY_KEY] = binary;
  return { validated, binary };
}

/**
 * The binary media types of the API: the spec's own list plus the non-text content types of
 * request bodies and responses (of the operations in `keep`, "METHOD path" keys, when given).
 * `picofun serve` uses the same list.
 */
export function binaryMediaTypes(doc: Record<string, unknown>, keep?: Set<string>): string[] {
  const types = new Set<string>();
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op) || (keep && !keep.has(`${method.toUpperCase()} ${path}`))) continue;
      contentTypes(deref(doc, op.requestBody)?.content, types);
      for (const r of Object.values(isObject(op.responses) ? op.responses : {})) contentTypes(deref(doc, r)?.content, types);
    }
  }
  const declared = Array.isArray(doc[BINARY_KEY]) ? (doc[BINARY_KEY] as unknown[]).filter((t): t is string => typeof t === "string") : [];
  return [...new Set([...declared, ...[...types].filter(isBinaryType)])].sort();
}

const quote = (v: string) => `'${v.replace(/'/g, "")}'`;

/** Request headers a preflight allows when `[api.cors] headers` is not set. */
export const DEFAULT_CORS_HEADERS = ["Content-Type", "Authorization", "X-Api-Key"];

/**
 * The static CORS headers of a response (name -> value); Access-Control-Allow-Origin only with
 * one origin (several are echoed by the preflight's template). `picofun serve` answers with these.
 */
export function corsHeaderValues(cors: CorsConfig, methods: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (cors.origins.length === 1) out["Access-Control-Allow-Origin"] = cors.origins[0];
  out["Access-Control-Allow-Methods"] = methods.join(",");
  out["Access-Control-Allow-Headers"] = (cors.headers ?? DEFAULT_CORS_HEADERS).join(",");
  if (cors.maxAge !== undefined) out["Access-Control-Max-Age"] = String(cors.maxAge);
  return out;
}

/** The methods a path's preflight allows, and those CORS headers on gateway errors carry. */
export function corsMethods(cors: CorsConfig, pathMethods?: string[]): string[] {
  return cors.methods ?? (pathMethods ? [...pathMethods, "OPTIONS"] : ["OPTIONS"]);
}

/** CORS headers of a response, as `{prefix}Access-Control-Allow-*` -> static value. */
function corsParameters(prefix: string, cors: CorsConfig, methods: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(corsHeaderValues(cors, methods)).map(([k, v]) => [`${prefix}${k}`, quote(v)]));
}

/** A VTL template echoing the request's Origin when it is one of several allowed origins. */
function originTemplate(origins: string[]): string {
  const test = origins.map((o) => `$origin == "${o.replace(/["\\$#]/g, "")}"`).join(" || ");
  return ["#set($origin = $input.params().header.get('Origin'))", `#if(${test})`, "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)", "#end", ""].join("\n");
}

/**
 * JSON bodies for gateway errors (DEFAULT_4XX, DEFAULT_5XX), and with `cors` an OPTIONS mock
 * operation on every path that has none, plus CORS headers on gateway errors.
 */
export function applyCorsAndResponses(doc: Record<string, unknown>, cors: CorsConfig | undefined): { preflight: number } {
  const responses = isObject(doc[GATEWAY_RESPONSES_KEY]) ? (doc[GATEWAY_RESPONSES_KEY] as Record<string, unknown>) : {};
  for (const type of ["DEFAULT_4XX", "DEFAULT_5XX"]) {
    if (responses[type] !== undefined) continue;
    const gr: Record<string, unknown> = { responseTemplates: { "application/json": '{"message":$context.error.messageString}' } };
    if (cors) gr.responseParameters = corsParameters("gatewayresponse.header.", cors, corsMethods(cors));
    responses[type] = gr;
  }
  doc[GATEWAY_RESPONSES_KEY] = responses;
  let preflight = 0;
  if (!cors) return { preflight };
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const item of Object.values(paths)) {
    if (!isObject(item) || isObject(item.options)) continue;
    const own = HTTP_METHODS.filter((m) => m !== "trace" && isObject(item[m])).map((m) => m.toUpperCase());
    if (!own.length) continue;
    const methods = corsMethods(cors, own);
    const params = corsParameters("method.response.header.", cors, methods);
    const integrationResponse: Record<string, unknown> = { statusCode: "200", responseParameters: params };
    const headers = Object.fromEntries(Object.keys(params).map((k) => [k.slice("method.response.header.".length), { schema: { type: "string" } }]));
    if (cors.origins.length > 1) {
      integrationResponse.responseTemplates = { "application/json": originTemplate(cors.origins) };
      headers["Access-Control-Allow-Origin"] = { schema: { type: "string" } };
    }
    item.options = {
      summary: "CORS preflight (answered by API Gateway)",
      responses: { "200": { description: "CORS preflight", headers } },
      "x-amazon-apigateway-integration": {
        type: "mock",
        requestTemplates: { "application/json": '{"statusCode": 200}' },
        passthroughBehavior: "when_no_match",
        responses: { default: integrationResponse },
      },
    };
    preflight++;
  }
  return { preflight };
}
