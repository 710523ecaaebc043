/**
 * The EventBridge connections HTTP Tasks authenticate through, and the role policy that lets a
 * state machine use them, as plain data: the Terraform and CDK emitters only translate it.
 */
import type { SupportedScheme } from "../../auth/schemes.js";

/** What picofun puts where the credential goes; `aws events update-connection` replaces it once. */
export const CREDENTIAL_PLACEHOLDER = "REPLACE_ME";

export type AuthorizationType = "API_KEY" | "BASIC" | "OAUTH_CLIENT_CREDENTIALS";

export interface HttpConnection {
  /** Key of the connection (resource key; the deployed name is `{namespace}-{key}`). */
  key: string;
  /** The security scheme it stands for; undefined for the endpoints without security. */
  scheme?: string;
  authorizationType: AuthorizationType;
  /** API_KEY: the header the key goes in, and the placeholder value (Bearer tokens keep their prefix). */
  apiKey?: { header: string; placeholder: string };
  /** An API key in the query: a secret query parameter the connection adds to every request (its API key header is then the no-auth one). */
  queryKey?: { name: string; placeholder: string };
  /** OAUTH_CLIENT_CREDENTIALS: the token endpoint and the scopes the endpoints ask for (space-separated in the token request). */
  oauth?: { tokenUrl: string; scopes: string[] };
  description: string;
  /** The functions whose HTTP Task uses it. */
  functions: string[];
}

/** A resource of a policy statement: a literal ARN pattern or one of the connections' ARNs. */
export type PolicyResource = { literal: string } | { connectionArn: string } | { connectionSecretArn: string };

export interface PolicyStatement {
  sid: string;
  actions: string[];
  resources: PolicyResource[];
  /** IAM conditions: operator -> key -> values. */
  conditions?: Record<string, Record<string, string[]>>;
}

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
export function endpointPatterns(serverUrl: string, path: string): string[] {
  const url = `${serverUrl.replace(/\/+$/, "")}${path.replace(/\{[^}]*\}/g, "*")}`.replace(/\$\{/g, "${$}{");
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
