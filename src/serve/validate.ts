/**
 * The request validator the deployed API runs for an operation (400 before the handler runs).
 * Which one: the spec's own `x-amazon-apigateway-request-validator` (operation, else document)
 * from its `x-amazon-apigateway-request-validators` (or picofun's all / body-only / params-only),
 * else the one `generate` adds: parameters when some are required, the body when it has a schema.
 * Parameters: required query and header parameters present and not blank (path parameters are
 * always there once the route matched). Body: the model of the request's Content-Type
 * (application/json when none is sent); a Content-Type without a model is not checked, as on AWS.
 * The schema check is `schemaCheck.ts`.
 */
import { VALIDATOR_KEY, VALIDATORS, VALIDATORS_KEY } from "../kinds/api/gateway/gateway.js";
import { deref, isObject } from "../spec/schemas.js";
import { headerValue, type RawRequest } from "../local/event.js";
import { schemaProblem } from "./schemaCheck.js";

export { schemaProblem } from "./schemaCheck.js";

/** `message`: API Gateway's 400 body; `detail`: what it logs (the server's log line). */
export type Invalid = { message: string; detail?: string };

function params(doc: Record<string, unknown>, item: Record<string, unknown>, op: Record<string, unknown>): Record<string, unknown>[] {
  const all = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])];
  const byKey = new Map<string, Record<string, unknown>>();
  for (const p of all) {
    const d = deref(doc, p);
    if (d) byKey.set(`${d.in}:${d.name}`, d);
  }
  return [...byKey.values()];
}

/** What the operation's validator checks: the spec's own validator, else both (what there is to check). */
export function validatorOf(doc: Record<string, unknown>, op: Record<string, unknown>): { body: boolean; params: boolean } {
  const name = typeof op[VALIDATOR_KEY] === "string" ? op[VALIDATOR_KEY] : doc[VALIDATOR_KEY];
  if (typeof name !== "string") return { body: true, params: true };
  const own = isObject(doc[VALIDATORS_KEY]) ? (doc[VALIDATORS_KEY] as Record<string, unknown>)[name] : undefined;
  const v = (isObject(own) ? own : VALIDATORS[name]) as { validateRequestBody?: unknown; validateRequestParameters?: unknown } | undefined;
  return { body: v?.validateRequestBody === true, params: v?.validateRequestParameters === true };
}

const blank = (v: string | undefined) => v === undefined || v.trim() === "";

/** What the operation's request validator would refuse (400), or undefined. */
export function validateRequest(doc: Record<string, unknown>, item: Record<string, unknown>, op: Record<string, unknown>, req: RawRequest): Invalid | undefined {
  const checks = validatorOf(doc, op);
  if (checks.params) {
    const missing: string[] = [];
    for (const p of params(doc, item, op)) {
      if (p.required !== true) continue;
      const name = String(p.name);
      if (p.in === "query" && !req.query.some(([k, v]) => k === name && !blank(v))) missing.push(name);
      if (p.in === "header" && blank(headerValue(req.headers, name))) missing.push(name);
    }
    if (missing.length) return { message: `Missing required request parameters: [${missing.join(", ")}]` };
  }
  if (!checks.body) return undefined;
  const body = deref(doc, op.requestBody);
  if (!body || !isObject(body.content)) return undefined;
  const type = (headerValue(req.headers, "content-type") ?? "application/json").split(";")[0].trim().toLowerCase();
  const key = Object.keys(body.content).find((k) => k.toLowerCase() === type);
  if (!req.body.length) return body.required === true && key ? { message: "Invalid request body" } : undefined;
  const media = key ? deref(doc, (body.content as Record<string, unknown>)[key]) : undefined;
  if (!media || !isObject(media.schema) || !/json/.test(type)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(req.body.toString("utf8"));
  } catch {
    return { message: "Invalid request body", detail: `request body is not JSON (${type})` };
  }
  const problem = schemaProblem(doc, media.schema, value);
  return problem ? { message: "Invalid request body", detail: `request body does not match the model for ${type}: ${problem}` } : undefined;
}
