/**
 * The api kind's definition as the deployment model holds it, and what every emitter does with it:
 * the integrations and authorizer URIs picofun wires filled in, as stable JSON.
 */
import { isObject } from "../spec/schemas.js";
import type { ApiGateway } from "./model.js";

export const INTEGRATION_KEY = "x-amazon-apigateway-integration";
export const AUTHORIZER_KEY = "x-amazon-apigateway-authorizer";

/** The integration picofun adds to an operation, with `uri` given. */
export function integrationFor(uri: string): Record<string, unknown> {
  return { type: "aws_proxy", httpMethod: "POST", uri, passthroughBehavior: "when_no_match" };
}

/** JSON with keys sorted at every level, two-space indented: the same input gives the same bytes. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sort(v[k]);
    return out;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

type Wiring = Pick<ApiGateway, "definition" | "integrations" | "authorizers">;

/**
 * The definition with its integrations and authorizer URIs filled in, as stable JSON: `uriOf` gives a
 * function's invoke URI, `escape` is applied to every string and key of the definition first (what the
 * IaC reading it would otherwise take for its own expressions).
 */
export function wiredDefinition(api: Wiring, uriOf: (fn: string) => string, escape: (s: string) => string = (s) => s): string {
  const map = (v: unknown): unknown => {
    if (typeof v === "string") return escape(v);
    if (Array.isArray(v)) return v.map(map);
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) out[escape(k)] = map(val);
    return out;
  };
  const out = map(api.definition) as Record<string, unknown>;
  const paths = out.paths as Record<string, Record<string, Record<string, unknown>>>;
  for (const i of api.integrations) paths[escape(i.path)][i.method][INTEGRATION_KEY] = integrationFor(uriOf(i.function));
  const schemes = ((out.components ?? {}) as Record<string, unknown>).securitySchemes as Record<string, Record<string, Record<string, unknown>>> | undefined;
  for (const a of api.authorizers) schemes![escape(a.scheme)][AUTHORIZER_KEY].authorizerUri = uriOf(a.function);
  return stableJson(out);
}
