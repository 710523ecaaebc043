/**
 * What the deployed API checks before a handler runs, read from the spec: the API key
 * (`x-api-key`) and the Lambda authorizer of a scheme. A small interface on purpose: the api
 * kind's own security model (issue 15) can stand behind `accessFor` without changing `serve`.
 */
import { isObject } from "../api/schemas.js";

export const API_KEY_HEADER = "x-api-key";

export interface AuthorizerRef {
  /** The scheme's name in the spec. */
  scheme: string;
  /** TOKEN authorizers get `authorizationToken` (the Authorization header), REQUEST ones the request. */
  type: "token" | "request";
  /** Where the credential is; a request without it is refused (401) before the authorizer runs. */
  source: { in: "header" | "query" | "cookie"; name: string };
  /** Handler module stem of the authorizer stub in handlers_dir (`authorize_{scheme}`). */
  module: string;
}

export interface Access {
  apiKey: boolean;
  authorizer?: AuthorizerRef;
}

function schemes(doc: Record<string, unknown>): Record<string, unknown> {
  const c = doc.components;
  return isObject(c) && isObject(c.securitySchemes) ? c.securitySchemes : {};
}

export function authorizerModule(scheme: string): string {
  const base = `authorize_${scheme}`.replace(/[^A-Za-z0-9_]/g, "_").replace(/_+/g, "_").replace(/^_+|_+$/g, "");
  return base;
}

/** The access rule of one operation: its own `security`, else the document's; an empty requirement makes it open. */
export function accessFor(doc: Record<string, unknown>, op: Record<string, unknown>): Access {
  const reqs = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : [];
  const access: Access = { apiKey: false };
  if (!reqs.length || reqs.some((r) => isObject(r) && !Object.keys(r).length)) return access;
  const first = reqs[0];
  if (!isObject(first)) return access;
  const defined = schemes(doc);
  for (const name of Object.keys(first)) {
    const s = defined[name];
    if (!isObject(s)) continue;
    const type = String(s.type);
    const scheme = String(s.scheme ?? "").toLowerCase();
    if (type === "apiKey" && s.in === "header" && String(s.name).toLowerCase() === API_KEY_HEADER) {
      access.apiKey = true;
      continue;
    }
    if (access.authorizer) continue;
    const module = authorizerModule(name);
    if ((type === "http" && scheme === "bearer") || type === "oauth2" || type === "openIdConnect") {
      access.authorizer = { scheme: name, type: "token", source: { in: "header", name: "Authorization" }, module };
    } else if (type === "http" && scheme === "basic") {
      access.authorizer = { scheme: name, type: "request", source: { in: "header", name: "Authorization" }, module };
    } else if (type === "apiKey" && typeof s.name === "string" && ["header", "query", "cookie"].includes(String(s.in))) {
      access.authorizer = { scheme: name, type: "request", source: { in: s.in as "header", name: s.name }, module };
    }
  }
  return access;
}
