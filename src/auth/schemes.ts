import type { ApiModel, Endpoint, SecurityRequirement, SecurityScheme } from "../model/types.js";

/** How a credential is applied. */
export type CredentialKind = "bearer" | "basic" | "api-key" | "mutual-tls" | "oauth2";

/** The suffix of the SSM parameter a kind reads its credentials from. */
export type ParameterType = "http" | "api-key" | "mutual-tls" | "oauth2";

/** A security scheme picofun can apply on its own. */
export interface SupportedScheme {
  name: string;
  kind: CredentialKind;
  parameterType: ParameterType;
  /** apiKey: where the key goes and under which name. */
  location?: "header" | "query" | "cookie";
  paramName?: string;
  /** oauth2 client credentials: the token endpoint (may be relative to the server URL). */
  tokenUrl?: string;
}

/** Bearer > Basic > API key > mTLS (the seed's order), then OAuth2 client credentials. */
export const PRIORITY: Record<CredentialKind, number> = { bearer: 0, basic: 1, "api-key": 2, "mutual-tls": 3, oauth2: 4 };

export const PARAMETER_TYPE: Record<CredentialKind, ParameterType> = {
  bearer: "http",
  basic: "http",
  "api-key": "api-key",
  "mutual-tls": "mutual-tls",
  oauth2: "oauth2",
};

export const SUPPORTED_TEXT = "http bearer, http basic, apiKey (header, query, cookie), mutualTLS and oauth2 clientCredentials";

/** A short human description of a scheme's type, e.g. "oauth2 authorizationCode" or "http digest". */
export function describeScheme(s: SecurityScheme | undefined, name: string): string {
  if (!s) return `${name} (not defined in components.securitySchemes)`;
  let what = s.type;
  if (s.type === "http") what = `http ${s.scheme ?? "(no scheme)"}`;
  else if (s.type === "apiKey") what = `apiKey in ${s.in ?? "(nowhere)"}`;
  else if (s.type === "oauth2") what = `oauth2 ${Object.keys(s.flows ?? {}).join("/") || "(no flows)"}`;
  return `${name} (${what})`;
}

/** The supported form of a scheme, or undefined when picofun cannot apply it. */
export function classify(s: SecurityScheme | undefined): SupportedScheme | undefined {
  if (!s) return undefined;
  const base = (kind: CredentialKind): SupportedScheme => ({ name: s.name, kind, parameterType: PARAMETER_TYPE[kind] });
  if (s.type === "http" && s.scheme === "bearer") return base("bearer");
  if (s.type === "http" && s.scheme === "basic") return base("basic");
  if (s.type === "apiKey" && (s.in === "header" || s.in === "query" || s.in === "cookie") && s.paramName) {
    return { ...base("api-key"), location: s.in, paramName: s.paramName };
  }
  if (s.type === "mutualTLS") return base("mutual-tls");
  if (s.type === "oauth2") {
    const flow = s.flows?.clientCredentials as { tokenUrl?: unknown } | undefined;
    if (flow && typeof flow.tokenUrl === "string" && flow.tokenUrl.trim()) return { ...base("oauth2"), tokenUrl: flow.tokenUrl.trim() };
  }
  return undefined;
}

/** What one endpoint sends: the chosen schemes (AND), or why nothing can be sent. */
export type Choice =
  | { kind: "none" }
  | { kind: "chosen"; schemes: SupportedScheme[]; requirement: SecurityRequirement }
  | { kind: "unsupported"; schemes: string[] };

/** The requirement list that applies to an endpoint: its own, else the document's. */
export function requirementsFor(model: ApiModel, e: Endpoint): SecurityRequirement[] | undefined {
  return e.security ?? model.security;
}

/**
 * Picks the alternative of a `security` list picofun applies. An alternative is usable when
 * every scheme in it is supported and no two of them read the same SSM parameter. Among
 * usable ones the one holding the highest-priority scheme wins, then the one with fewer
 * schemes, then the first in the spec. An empty alternative (`{}`) means credentials are
 * optional: it is taken only when no other alternative is usable.
 */
export function choose(requirements: SecurityRequirement[] | undefined, schemes: Record<string, SecurityScheme>): Choice {
  if (!requirements || !requirements.length) return { kind: "none" };
  let best: { schemes: SupportedScheme[]; requirement: SecurityRequirement; rank: number[] } | undefined;
  let anonymous = false;
  const unsupported: string[] = [];
  for (const requirement of requirements) {
    const names = Object.keys(requirement);
    if (!names.length) {
      anonymous = true;
      continue;
    }
    const supported = names.map((n) => classify(schemes[n]));
    const bad = names.filter((_, i) => !supported[i]);
    if (bad.length) {
      for (const n of bad) {
        const text = describeScheme(schemes[n], n);
        if (!unsupported.includes(text)) unsupported.push(text);
      }
      continue;
    }
    const list = supported as SupportedScheme[];
    const types = new Set(list.map((s) => s.parameterType));
    if (types.size !== list.length) {
      const text = `${names.join(" + ")} (together they would need one SSM parameter twice)`;
      if (!unsupported.includes(text)) unsupported.push(text);
      continue;
    }
    const sorted = [...list].sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind]);
    const rank = [PRIORITY[sorted[0].kind], list.length];
    if (!best || rank[0] < best.rank[0] || (rank[0] === best.rank[0] && rank[1] < best.rank[1])) {
      best = { schemes: sorted, requirement, rank };
    }
  }
  if (best) return { kind: "chosen", schemes: best.schemes, requirement: best.requirement };
  if (anonymous) return { kind: "none" };
  return { kind: "unsupported", schemes: unsupported };
}
