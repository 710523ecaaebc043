import type { ApiModel, Endpoint, SecurityRequirement, SecurityScheme } from "../../../model/types.js";
import { oneToken } from "./oneToken.js";

/**
 * How a credential is applied. `oauth2` is the client-credentials grant against the flow's
 * token URL; `oauth2-token` covers the flows a person signs in to (authorizationCode,
 * implicit, password) and OpenID Connect: the parameter holds a refresh token, a fixed access
 * token, or client credentials for a token URL it names.
 */
export type CredentialKind = "bearer" | "basic" | "api-key" | "mutual-tls" | "oauth2" | "oauth2-token";

/** The suffix of the parameter (or secret) a kind reads its credentials from. */
export type ParameterType = "http" | "api-key" | "mutual-tls" | "oauth2";

/** A security scheme picofun can apply on its own. */
export interface SupportedScheme {
  name: string;
  kind: CredentialKind;
  parameterType: ParameterType;
  /** apiKey: where the key goes and under which name. */
  location?: "header" | "query" | "cookie";
  paramName?: string;
  /** oauth2: the token endpoint (may be relative to the server URL); "" when the flows name none. */
  tokenUrl?: string;
  /** openIdConnect: the discovery document, whose token_endpoint is used. */
  discoveryUrl?: string;
  /** oauth2-token: the flows the spec declares, for messages ("authorizationCode/implicit"). */
  flows?: string;
}

/** Bearer > Basic > API key > mTLS (the seed's order), then OAuth2 client credentials, then user-token flows. */
export const PRIORITY: Record<CredentialKind, number> = {
  bearer: 0,
  basic: 1,
  "api-key": 2,
  "mutual-tls": 3,
  oauth2: 4,
  "oauth2-token": 5,
};

export const PARAMETER_TYPE: Record<CredentialKind, ParameterType> = {
  bearer: "http",
  basic: "http",
  "api-key": "api-key",
  "mutual-tls": "mutual-tls",
  oauth2: "oauth2",
  "oauth2-token": "oauth2",
};

export const SUPPORTED_TEXT =
  "http bearer, http basic, apiKey (header, query, cookie), mutualTLS, oauth2 (every flow) and openIdConnect";

/** OAuth2 flows that end in a token for a person; refreshed without them through a refresh token. */
const USER_FLOWS = ["authorizationCode", "password", "implicit"] as const;

/** A short human description of a scheme's type, e.g. "oauth2 authorizationCode" or "http digest". */
export function describeScheme(s: SecurityScheme | undefined, name: string): string {
  if (!s) return `${name} (not defined in components.securitySchemes)`;
  let what = s.type;
  if (s.type === "http") what = `http ${s.scheme ?? "(no scheme)"}`;
  else if (s.type === "apiKey") what = `apiKey in ${s.in ?? "(nowhere)"}${s.paramName ? "" : " without a name"}`;
  else if (s.type === "oauth2") what = `oauth2 ${Object.keys(s.flows ?? {}).join("/") || "(no flows)"}`;
  return `${name} (${what})`;
}

function flowTokenUrl(flow: unknown): string | undefined {
  const url = (flow as { tokenUrl?: unknown } | undefined)?.tokenUrl;
  return typeof url === "string" && url.trim() ? url.trim() : undefined;
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
    const flows = s.flows ?? {};
    const cc = flowTokenUrl(flows.clientCredentials);
    if (cc) return { ...base("oauth2"), tokenUrl: cc };
    // A token for a person (or client credentials against a token URL the parameter names).
    const tokenUrl = USER_FLOWS.map((f) => flowTokenUrl(flows[f])).find((u) => u) ?? "";
    return { ...base("oauth2-token"), tokenUrl, flows: Object.keys(flows).join("/") || "(no flows)" };
  }
  if (s.type === "openIdConnect") {
    return { ...base("oauth2-token"), tokenUrl: "", discoveryUrl: s.openIdConnectUrl?.trim() ?? "", flows: "openIdConnect" };
  }
  return undefined;
}

/** Where a scheme puts its credential; two schemes of one requirement may not share a slot. */
export function slotOf(s: SupportedScheme): string {
  if (s.kind === "api-key") {
    const name = s.location === "header" ? s.paramName!.toLowerCase() : s.paramName!;
    return s.location === "header" && name === "authorization" ? "the Authorization header" : `${s.location} ${JSON.stringify(name)}`;
  }
  if (s.kind === "mutual-tls") return "the client certificate";
  return "the Authorization header";
}

/** What one endpoint sends: the chosen schemes (AND), or why nothing can be sent. */
export type Choice =
  | { kind: "none" }
  | { kind: "chosen"; schemes: SupportedScheme[]; requirement: SecurityRequirement; merged?: { kept: string; into: string[] } }
  | { kind: "unsupported"; schemes: string[] };

/** The requirement list that applies to an endpoint: its own, else the document's. */
export function requirementsFor(model: ApiModel, e: Endpoint): SecurityRequirement[] | undefined {
  return e.security ?? model.security;
}

/** Why the schemes of one requirement cannot all be sent, or undefined when they can. */
function clash(names: string[], list: SupportedScheme[]): string | undefined {
  const seen = new Map<string, string>();
  for (let i = 0; i < list.length; i++) {
    const slot = slotOf(list[i]);
    const other = seen.get(slot);
    if (other !== undefined) return `${other} + ${names[i]} (both would set ${slot})`;
    seen.set(slot, names[i]);
  }
  return undefined;
}

/**
 * Picks the alternative (OR) of a `security` list picofun applies; every scheme of the chosen
 * alternative (AND) is sent. An alternative is usable when every scheme in it is supported and
 * no two of them put their credential in the same place. Among usable ones the one holding the
 * highest-priority scheme wins, then the one with fewer schemes, then the first in the spec. An
 * empty alternative (`{}`) means credentials are optional: it is taken only when no other
 * alternative is usable.
 */
export function choose(requirements: SecurityRequirement[] | undefined, schemes: Record<string, SecurityScheme>): Choice {
  if (!requirements || !requirements.length) return { kind: "none" };
  let best: { schemes: SupportedScheme[]; requirement: SecurityRequirement; rank: number[]; merged?: { kept: string; into: string[] } } | undefined;
  let anonymous = false;
  const unsupported: string[] = [];
  const note = (text: string) => {
    if (!unsupported.includes(text)) unsupported.push(text);
  };
  for (const requirement of requirements) {
    const names = Object.keys(requirement);
    if (!names.length) {
      anonymous = true;
      continue;
    }
    const supported = names.map((n) => classify(schemes[n]));
    const bad = names.filter((_, i) => !supported[i]);
    if (bad.length) {
      for (const n of bad) note(describeScheme(schemes[n], n));
      continue;
    }
    // OAuth2 flows of one provider required together take one token (see oneToken.ts).
    const one = oneToken(names, supported as SupportedScheme[], requirement, schemes);
    const why = clash(one.names, one.list);
    if (why) {
      note(why);
      continue;
    }
    const sorted = [...one.list].sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind]);
    const rank = [PRIORITY[sorted[0].kind], one.list.length];
    if (!best || rank[0] < best.rank[0] || (rank[0] === best.rank[0] && rank[1] < best.rank[1])) {
      best = { schemes: sorted, requirement: one.requirement, rank, merged: one.merged };
    }
  }
  if (best) return { kind: "chosen", schemes: best.schemes, requirement: best.requirement, ...(best.merged ? { merged: best.merged } : {}) };
  if (anonymous) return { kind: "none" };
  return { kind: "unsupported", schemes: unsupported };
}
