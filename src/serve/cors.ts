/** CORS as the deployed API answers it (`[api.cors]`): preflight OPTIONS and headers on gateway answers. */
import type { RawRequest } from "./event.js";
import { headerValue } from "./event.js";
import type { HttpAnswer } from "./result.js";

export interface CorsSettings {
  origins: string[];
  methods?: string[];
  headers?: string[];
  maxAge?: number;
}

/** `[api.cors]` from the config, when the project has one. */
export function corsFrom(api: unknown): CorsSettings | undefined {
  const c = (api as { cors?: Partial<CorsSettings> } | undefined)?.cors;
  return c && Array.isArray(c.origins) && c.origins.length ? (c as CorsSettings) : undefined;
}

function allowedOrigin(cors: CorsSettings, req: RawRequest): string | undefined {
  if (cors.origins.includes("*")) return "*";
  const origin = headerValue(req.headers, "origin");
  return origin && cors.origins.includes(origin) ? origin : cors.origins.length === 1 ? cors.origins[0] : undefined;
}

/** Headers added to the API's own answers (403, 401, 400, 502...). */
export function corsHeaders(cors: CorsSettings | undefined, req: RawRequest): Array<[string, string]> {
  if (!cors) return [];
  const origin = allowedOrigin(cors, req);
  return origin ? [["Access-Control-Allow-Origin", origin]] : [];
}

/** The preflight answer for a known path, methods = the path's methods. */
export function preflight(cors: CorsSettings, req: RawRequest, pathMethods: string[]): HttpAnswer {
  const methods = cors.methods?.length ? cors.methods : [...new Set([...pathMethods, "OPTIONS"])];
  const headers = cors.headers?.length ? cors.headers : ["Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token"];
  const out: Array<[string, string]> = [
    ["Access-Control-Allow-Methods", methods.join(",")],
    ["Access-Control-Allow-Headers", headers.join(",")],
    ...corsHeaders(cors, req),
  ];
  if (cors.maxAge !== undefined) out.push(["Access-Control-Max-Age", String(cors.maxAge)]);
  return { status: 204, headers: out, body: Buffer.alloc(0) };
}
