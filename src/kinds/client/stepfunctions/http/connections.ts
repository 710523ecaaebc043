/**
 * The EventBridge connections HTTP Tasks authenticate through, and the role policy that lets a
 * state machine use them, as plain data: the Terraform and CDK emitters only translate it.
 */
import type { SupportedScheme } from "../../auth/schemes.js";
import { CREDENTIAL_PLACEHOLDER, type HttpConnection, type PolicyStatement } from "../../../../deployment/httpTasks.js";

/** The connection key of the endpoints without security (connections require some authorization). */
export const NO_AUTH_KEY = "no-auth";
/** The header of the no-auth connection's API key: harmless to the API, sent with every request. */
export const NO_AUTH_HEADER = "X-Picofun-No-Auth";

/** A connection key from a scheme name: letters, digits, `.`, `-`, `_` (EventBridge's name pattern). */
export function connectionKey(scheme: string, taken: Set<string>): string {
  const base = (`auth-${scheme}`.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 40) || "auth").replace(/_+$/, "") || "auth";
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}-${i}`;
  taken.add(key);
  return key;
}

export function connectionFor(key: string, scheme: SupportedScheme | undefined, scopes: string[]): HttpConnection {
  if (!scheme) {
    return {
      key,
      authorizationType: "API_KEY",
      apiKey: { header: NO_AUTH_HEADER, placeholder: "none" },
      description: "HTTP Tasks of endpoints without security (a connection needs an authorization; this header is harmless)",
      functions: [],
    };
  }
  const text = `HTTP Tasks: security scheme ${scheme.name}`.replace(/[^\x20-\x7e]/g, "?").slice(0, 512);
  if (scheme.kind === "basic") return { key, scheme: scheme.name, authorizationType: "BASIC", description: text, functions: [] };
  if (scheme.kind === "oauth2") {
    return { key, scheme: scheme.name, authorizationType: "OAUTH_CLIENT_CREDENTIALS", oauth: { tokenUrl: scheme.tokenUrl ?? "", scopes }, description: text, functions: [] };
  }
  if (scheme.kind === "api-key" && scheme.location === "query") {
    return {
      key,
      scheme: scheme.name,
      authorizationType: "API_KEY",
      apiKey: { header: NO_AUTH_HEADER, placeholder: "none" },
      queryKey: { name: scheme.paramName ?? "", placeholder: CREDENTIAL_PLACEHOLDER },
      description: text,
      functions: [],
    };
  }
  const bearer = scheme.kind === "bearer";
  return {
    key,
    scheme: scheme.name,
    authorizationType: "API_KEY",
    apiKey: { header: bearer ? "Authorization" : (scheme.paramName ?? ""), placeholder: bearer ? `Bearer ${CREDENTIAL_PLACEHOLDER}` : CREDENTIAL_PLACEHOLDER },
    description: text,
    functions: [],
  };
}

/** The IAM `states:HTTPEndpoint` patterns of an endpoint: its URL with `*` for each path parameter, with and without a query string. */
/** Server URLs without trailing slashes (most endpoints share one). */
const TRIMMED = new Map<string, string>();

export function endpointPatterns(serverUrl: string, path: string): string[] {
  let server = TRIMMED.get(serverUrl);
  if (server === undefined) TRIMMED.set(serverUrl, (server = serverUrl.replace(/\/+$/, "")));
  let url = `${server}${path.includes("{") ? path.replace(/\{[^}]*\}/g, "*") : path}`;
  if (url.includes("${")) url = url.replace(/\$\{/g, "${$}{");
  return url.endsWith("*") ? [url] : [url, `${url}?*`];
}

/**
 * The policy: `states:InvokeHTTPEndpoint` for exactly these endpoints (one statement per method,
 * the URLs in a `StringLike` on `states:HTTPEndpoint`), the connections' credentials and their
 * secrets.
 */
export function policyStatements(byMethod: Map<string, string[]>, connections: HttpConnection[]): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const [method, urls] of [...byMethod].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push({
      sid: `InvokeHttp${method[0]}${method.slice(1).toLowerCase()}`,
      actions: ["states:InvokeHTTPEndpoint"],
      // The action's resource is the calling state machine, which the module does not know: the conditions scope it.
      resources: [{ literal: "*" }],
      conditions: { StringEquals: { "states:HTTPMethod": [method] }, StringLike: { "states:HTTPEndpoint": [...new Set(urls)].sort() } },
    });
  }
  out.push(
    { sid: "RetrieveConnectionCredentials", actions: ["events:RetrieveConnectionCredentials"], resources: connections.map((c) => ({ connectionArn: c.key })) },
    {
      sid: "ReadConnectionSecrets",
      actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      resources: connections.map((c) => ({ connectionSecretArn: c.key })),
    },
  );
  return out;
}
