/** Writes the security model into the API definition the way API Gateway enforces it. */
import { HTTP_METHODS } from "../../../model/types.js";
import { opKey } from "../operationIds.js";
import { isObject } from "../../../spec/schemas.js";
import { API_KEY_HEADER, AUTHORIZER_KEY, AUTHTYPE_KEY, type AuthorizerPlan, type SecurityModel } from "./security.js";

/** The securitySchemes entry API Gateway reads for one authorizer (authorizerUri is wired later). */
function authorizerScheme(a: AuthorizerPlan, existing: Record<string, unknown> | undefined, userPools: string[]): Record<string, unknown> {
  if (a.type === "custom" && existing) return existing;
  const header = a.source.in === "header" ? a.source.name : "Authorization";
  const base = { type: "apiKey", name: header, in: "header", ...(a.description ? { description: a.description } : {}) };
  if (a.type === "cognito") {
    return { ...base, [AUTHTYPE_KEY]: "cognito_user_pools", [AUTHORIZER_KEY]: { type: "cognito_user_pools", providerARNs: userPools } };
  }
  // Caching is off (TTL 0): a cached policy would be reused for other methods of the API.
  const authorizer: Record<string, unknown> = { type: a.type, authorizerResultTtlInSeconds: 0, identitySource: a.identitySource };
  return { ...base, [AUTHTYPE_KEY]: a.credential === "oauth2" ? "oauth2" : "custom", [AUTHORIZER_KEY]: authorizer };
}

/**
 * Repeats each operation's security on the operation (API Gateway ignores the root), keeps only
 * the schemes API Gateway can use, in the form it understands. Returns the schemes whose
 * authorizerUri must be wired after escaping.
 */
export function applySecurity(doc: Record<string, unknown>, model: SecurityModel, userPools: string[] = []): string[] {
  const components = isObject(doc.components) ? doc.components : (doc.components = {});
  const before = isObject(components.securitySchemes) ? components.securitySchemes : {};
  delete doc.security;
  const schemes: Record<string, unknown> = {};
  let apiKeyName: string | undefined;
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const path of Object.keys(paths)) {
    const item = paths[path];
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const access = model.operations.get(opKey(method, path));
      if (!access || access.open) {
        // An explicit `security: []` (the operation's or the root's) stays: it says open on purpose,
        // which a linter reading the deployed definition can tell from a forgotten requirement.
        if (access?.openBecause === "security: []") op.security = [];
        else delete op.security;
        continue;
      }
      const req: Record<string, string[]> = {};
      if (access.apiKeyScheme) {
        req[access.apiKeyScheme] = [];
        apiKeyName = access.apiKeyScheme;
        schemes[access.apiKeyScheme] = { type: "apiKey", name: API_KEY_HEADER, in: "header" };
      }
      if (access.authorizer) req[access.authorizer] = access.scopes;
      op.security = [req];
    }
  }
  const wired: string[] = [];
  for (const a of model.authorizers) {
    const existing = isObject(before[a.scheme]) ? (before[a.scheme] as Record<string, unknown>) : undefined;
    schemes[a.scheme] = authorizerScheme(a, existing, userPools);
    if (a.type === "token" || a.type === "request") wired.push(a.scheme);
  }
  if (Object.keys(schemes).length) components.securitySchemes = Object.fromEntries(Object.keys(schemes).sort().map((k) => [k, schemes[k]]));
  else delete components.securitySchemes;
  if (!Object.keys(components).length) delete doc.components;
  if (apiKeyName) doc["x-amazon-apigateway-api-key-source"] ??= "HEADER";
  return wired;
}
