/**
 * The security model of the api kind: for every operation, what API Gateway enforces (API key,
 * which authorizer, which scopes) derived from the spec's `security` (the operation's own, else
 * the document's). The transform, the Terraform plan and `picofun serve` all read this one model.
 *
 * Mapping (API Gateway REST enforces only `apiKey`-typed schemes, through its own key check or
 * an authorizer; root-level `security` is ignored, so every operation gets its own):
 * - apiKey in header `x-api-key`           -> API key required (usage plan + key)
 * - http bearer, oauth2, openIdConnect      -> Cognito user-pool authorizer when user pools are
 *                                              configured, else a TOKEN Lambda authorizer
 * - http basic, apiKey elsewhere            -> a REQUEST Lambda authorizer reading that place
 * - apiKey with x-amazon-apigateway-authorizer -> the user's own authorizer, kept as written
 * - anything else                           -> unmappable (a lint error unless opted out)
 */
import { HTTP_METHODS } from "../../../model/types.js";
import { listOperations, opKey } from "../operationIds.js";
import { deref, isObject } from "../../../spec/schemas.js";

import { AUTHORIZER_KEY } from "../../../deployment/definition.js";

export { AUTHORIZER_KEY };
export const AUTHTYPE_KEY = "x-amazon-apigateway-authtype";
/** The header API Gateway reads API keys from (key source HEADER). */
export const API_KEY_HEADER = "x-api-key";

export type AuthorizerType = "token" | "request" | "cognito" | "custom";

/** Where a credential is read from. */
export interface CredentialSource {
  in: "header" | "query" | "cookie";
  name: string;
}

/** One authorizer of the API: a spec scheme API Gateway enforces through an authorizer. */
export interface AuthorizerPlan {
  /** The scheme's name in the spec; also the authorizer's name in API Gateway. */
  scheme: string;
  type: AuthorizerType;
  /** The spec's kind of credential: "http bearer", "oauth2", "openIdConnect", "http basic", "apiKey". */
  credential: string;
  source: CredentialSource;
  /** API Gateway identity source, e.g. `method.request.header.Authorization`. */
  identitySource: string;
  description?: string;
}

/** What API Gateway does for one operation before the handler runs. */
export interface OperationAccess {
  /** "METHOD path". */
  key: string;
  /** No credential checked by the gateway. */
  open: boolean;
  /** Why it is open: "no security", "security: []", "optional", "opted out". */
  openBecause?: string;
  /** The spec scheme that requires the API key (x-api-key header). */
  apiKeyScheme?: string;
  /** The authorizer (scheme name) that runs first. */
  authorizer?: string;
  /** OAuth scopes the authorizer checks (Cognito only). */
  scopes: string[];
  /** The scopes the spec's requirement lists (a Lambda authorizer must check them itself). */
  specScopes: string[];
  /** Schemes the spec requires that the gateway does not enforce (only with the opt-out). */
  unenforced: string[];
}

export interface SecurityProblem {
  key: string;
  operationId?: string;
  scheme: string;
  /** JSON pointer of the requirement. */
  pointer: string;
  message: string;
}

export interface SecurityModel {
  operations: Map<string, OperationAccess>;
  /** Authorizers used by at least one operation, by scheme name (sorted). */
  authorizers: AuthorizerPlan[];
  /** True when some operation requires the API key. */
  apiKeyRequired: boolean;
  problems: SecurityProblem[];
  warnings: string[];
}

export interface SecurityOptions {
  /** Cognito user pool ARNs (`[api] cognito_user_pools`): bearer/oauth2/OIDC use them. */
  userPools?: string[];
  /** `[api] allow_unenforced_security`: unmappable schemes are a warning, the operation stays open. */
  allowUnenforced?: boolean;
  /** Only these operations ("METHOD path"); all by default. */
  keep?: Set<string>;
}

type Scheme = Record<string, unknown>;

function schemesOf(doc: Record<string, unknown>): Record<string, unknown> {
  if (isObject(doc.components) && isObject(doc.components.securitySchemes)) return doc.components.securitySchemes;
  if (isObject(doc.securityDefinitions)) return doc.securityDefinitions;
  return {};
}

/** A short description of a scheme: "http digest", "apiKey in query", "mutualTLS". */
export function schemeText(s: Scheme | undefined): string {
  if (!s) return "not defined";
  if (s.type === "http") return `http ${String(s.scheme ?? "(no scheme)").toLowerCase()}`;
  if (s.type === "apiKey") return `apiKey in ${String(s.in ?? "(nowhere)")}`;
  if (s.type === "basic") return "http basic";
  return String(s.type);
}

type Mapped =
  | { kind: "api-key" }
  | { kind: "authorizer"; plan: AuthorizerPlan; scopesApply: boolean }
  | { kind: "unmappable"; why: string };

function identity(source: CredentialSource): string {
  if (source.in === "query") return `method.request.querystring.${source.name}`;
  if (source.in === "cookie") return "method.request.header.Cookie";
  return `method.request.header.${source.name}`;
}

/** How API Gateway can enforce one scheme. */
export function mapScheme(name: string, raw: unknown, userPools: string[]): Mapped {
  const s = isObject(raw) ? raw : undefined;
  if (!s) return { kind: "unmappable", why: "it is not defined in the document's security schemes" };
  const description = typeof s.description === "string" ? s.description : undefined;
  const plan = (type: AuthorizerType, credential: string, source: CredentialSource): Mapped => ({
    kind: "authorizer",
    plan: { scheme: name, type, credential, source, identitySource: identity(source), description },
    scopesApply: type === "cognito",
  });
  const type = String(s.type);
  if (type === "apiKey") {
    const where = String(s.in ?? "");
    const param = typeof s.name === "string" ? s.name : "";
    if (isObject(s[AUTHORIZER_KEY])) return plan("custom", "apiKey", { in: "header", name: param || "Authorization" });
    if (!param || !["header", "query", "cookie"].includes(where)) return { kind: "unmappable", why: `an apiKey needs "name" and "in" (header, query or cookie)` };
    if (where === "header" && param.toLowerCase() === API_KEY_HEADER) return { kind: "api-key" };
    if (!/^[A-Za-z0-9._$-]+$/.test(param)) return { kind: "unmappable", why: `API Gateway cannot read a ${where} named "${param}"` };
    return plan("request", "apiKey", { in: where as CredentialSource["in"], name: param });
  }
  const scheme = String(s.scheme ?? "").toLowerCase();
  const bearerLike = (type === "http" && scheme === "bearer") || type === "oauth2" || type === "openIdConnect";
  if (bearerLike) {
    const credential = type === "http" ? "http bearer" : type;
    return plan(userPools.length ? "cognito" : "token", credential, { in: "header", name: "Authorization" });
  }
  if ((type === "http" && scheme === "basic") || type === "basic") return plan("request", "http basic", { in: "header", name: "Authorization" });
  return { kind: "unmappable", why: `API Gateway has no way to enforce ${schemeText(s)}` };
}

/** The security model of the operations of `doc` (OpenAPI 3.x or Swagger 2.0). */
export function securityModel(doc: Record<string, unknown>, options: SecurityOptions = {}): SecurityModel {
  const userPools = options.userPools ?? [];
  const schemes = schemesOf(doc);
  const operations = new Map<string, OperationAccess>();
  const used = new Map<string, AuthorizerPlan>();
  const problems: SecurityProblem[] = [];
  const warnings: string[] = [];
  const rootSecurity = Array.isArray(doc.security) ? doc.security : undefined;
  for (const o of listOperations(doc)) {
    if (o.method === "trace") continue;
    const key = opKey(o.method, o.path);
    if (options.keep && !options.keep.has(key)) continue;
    const own = Array.isArray(o.op.security);
    const security = own ? (o.op.security as unknown[]) : rootSecurity;
    const at = own ? `#/paths/${o.path.replace(/~/g, "~0").replace(/\//g, "~1")}/${o.method}/security` : "#/security";
    const access: OperationAccess = { key, open: false, scopes: [], specScopes: [], unenforced: [] };
    operations.set(key, access);
    if (!security || !security.length) {
      Object.assign(access, { open: true, openBecause: security ? "security: []" : "no security" });
      continue;
    }
    const alternatives = security.filter(isObject) as Array<Record<string, unknown>>;
    if (alternatives.some((a) => !Object.keys(a).length)) {
      // `{}` among the alternatives: credentials are optional, which a gateway check cannot express.
      Object.assign(access, { open: true, openBecause: "optional" });
      warnings.push(`${key}: credentials are optional in the spec ({} among its security requirements); API Gateway lets every request through`);
      continue;
    }
    // API Gateway applies one requirement: the first the gateway can enforce in full.
    let chosen: { apiKey?: string; authorizer?: AuthorizerPlan; scopes: string[]; specScopes?: string[] } | undefined;
    let chosenReq: Record<string, unknown> = {};
    let firstProblem: { scheme: string; why: string } | undefined;
    for (const req of alternatives) {
      const attempt: { apiKey?: string; authorizer?: AuthorizerPlan; scopes: string[]; specScopes?: string[] } = { scopes: [] };
      let failed: { scheme: string; why: string } | undefined;
      for (const [name, scopes] of Object.entries(req)) {
        const mapped = mapScheme(name, schemes[name], userPools);
        if (mapped.kind === "unmappable") failed = { scheme: name, why: mapped.why };
        else if (mapped.kind === "api-key") attempt.apiKey = name;
        else if (attempt.authorizer) failed = { scheme: name, why: `it is required together with "${attempt.authorizer.scheme}", and API Gateway runs one authorizer per method` };
        else {
          attempt.authorizer = mapped.plan;
          attempt.specScopes = Array.isArray(scopes) ? scopes.filter((x): x is string => typeof x === "string") : [];
          if (mapped.scopesApply) attempt.scopes = attempt.specScopes;
        }
        if (failed) break;
      }
      if (!failed) {
        chosen = attempt;
        chosenReq = req;
        break;
      }
      firstProblem ??= failed;
    }
    if (!chosen) {
      const p = firstProblem!;
      const id = o.declaredId ? ` (${o.declaredId})` : "";
      problems.push({
        key,
        operationId: o.declaredId,
        scheme: p.scheme,
        pointer: at,
        message: `operation ${key}${id} requires security scheme "${p.scheme}" (${schemeText(deref(doc, schemes[p.scheme]))}), but ${p.why}`,
      });
      if (options.allowUnenforced) {
        Object.assign(access, { open: true, openBecause: "opted out", unenforced: alternatives.flatMap((a) => Object.keys(a)) });
        warnings.push(`${key}: security scheme "${p.scheme}" is not enforced by API Gateway (allow_unenforced_security): the handler must check credentials`);
      }
      continue;
    }
    if (alternatives.length > 1) {
      const names = Object.keys(chosenReq);
      warnings.push(`${key}: API Gateway accepts one of the spec's ${alternatives.length} alternative security requirements: ${names.join(" + ")}`);
    }
    access.apiKeyScheme = chosen.apiKey;
    if (chosen.authorizer) {
      access.authorizer = chosen.authorizer.scheme;
      access.scopes = chosen.scopes;
      access.specScopes = chosen.specScopes ?? [];
      used.set(chosen.authorizer.scheme, chosen.authorizer);
    }
  }
  return {
    operations,
    authorizers: [...used.keys()].sort().map((k) => used.get(k)!),
    apiKeyRequired: [...operations.values()].some((a) => !!a.apiKeyScheme),
    problems,
    warnings,
  };
}

/** Operations of `doc` that have a method API Gateway serves (for callers that need the keys). */
export function operationKeys(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const path of Object.keys(paths)) {
    const item = paths[path];
    if (!isObject(item)) continue;
    for (const m of HTTP_METHODS) if (m !== "trace" && isObject(item[m])) out.push(opKey(m, path));
  }
  return out;
}
