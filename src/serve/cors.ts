/**
 * CORS as the deployed API answers it (`[api.cors]`, written into the definition by
 * `src/api/gateway.ts`): a preflight OPTIONS on a path without its own OPTIONS operation is API
 * Gateway's mock integration (200, the static CORS headers; with several origins the request's
 * Origin is echoed when it is one of them), and the gateway's own errors (DEFAULT_4XX/5XX: 403,
 * 401, 400, 502...) carry the static headers. Handler results get nothing added: a proxy
 * integration returns what the function returns, so handlers set their own CORS headers.
 */
import { corsHeaderValues, corsMethods, type CorsConfig } from "../kinds/api/gateway/gateway.js";
import { headerValue, type RawRequest } from "../local/event.js";
import type { HttpAnswer } from "../local/result.js";

export type CorsSettings = CorsConfig;

/** `[api.cors]` from the config, when the project has one. */
export function corsFrom(api: unknown): CorsSettings | undefined {
  const c = (api as { cors?: Partial<CorsSettings> } | undefined)?.cors;
  return c && Array.isArray(c.origins) && c.origins.length ? (c as CorsSettings) : undefined;
}

const pairs = (values: Record<string, string>): Array<[string, string]> => Object.entries(values);

/** Headers of the API's own answers (gateway responses). */
export function corsHeaders(cors: CorsSettings | undefined): Array<[string, string]> {
  return cors ? pairs(corsHeaderValues(cors, corsMethods(cors))) : [];
}

/** The preflight answer for a resource whose methods (upper case, in definition order) are `pathMethods`. */
export function preflight(cors: CorsSettings, req: RawRequest, pathMethods: string[]): HttpAnswer {
  const values = corsHeaderValues(cors, corsMethods(cors, pathMethods));
  const origin = headerValue(req.headers, "origin");
  if (cors.origins.length > 1 && origin && cors.origins.includes(origin)) values["Access-Control-Allow-Origin"] = origin;
  return { status: 200, headers: [["Content-Type", "application/json"], ...pairs(values)], body: Buffer.alloc(0) };
}
