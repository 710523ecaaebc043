/**
 * OAuth2 schemes required together (AND) that are flows of one provider, such as Google's
 * `Oauth2` (implicit) and `Oauth2c` (authorization code): each is a bearer access token in the
 * Authorization header, and one token from that provider satisfies all of them. They are sent
 * as one credential (the scheme picked here) with the scopes of all of them.
 */
import type { SecurityRequirement, SecurityScheme } from "../../../model/types.js";

/** What is needed of a supported scheme (schemes.ts's SupportedScheme). */
interface Credential {
  kind: string;
  tokenUrl?: string;
  discoveryUrl?: string;
}

export interface OneToken<T extends Credential> {
  /** The requirement's schemes with the merged ones left out. */
  names: string[];
  list: T[];
  /** The requirement with the kept scheme holding every merged scheme's scopes. */
  requirement: SecurityRequirement;
  /** What was merged, for the notice: the kept scheme and the others. */
  merged?: { kept: string; into: string[] };
}

const OAUTH = new Set(["oauth2", "oauth2-token"]);

/** The origins of every URL a scheme names (relative ones count as the API's own server). */
function origins(s: SecurityScheme | undefined): string[] {
  const urls: string[] = [];
  for (const flow of Object.values(s?.flows ?? {})) {
    for (const key of ["authorizationUrl", "tokenUrl", "refreshUrl"]) {
      const url = (flow as Record<string, unknown> | undefined)?.[key];
      if (typeof url === "string" && url.trim()) urls.push(url.trim());
    }
  }
  if (s?.openIdConnectUrl?.trim()) urls.push(s.openIdConnectUrl.trim());
  return urls.map((u) => {
    try {
      return new URL(u).origin;
    } catch {
      return "(the API's server)";
    }
  });
}

/** Prefers client credentials, then a flow with a token URL (so tokens can be refreshed), then the spec's order. */
function preference(s: Credential): number {
  return s.kind === "oauth2" ? 0 : s.tokenUrl || s.discoveryUrl ? 1 : 2;
}

export function oneToken<T extends Credential>(names: string[], list: T[], requirement: SecurityRequirement, schemes: Record<string, SecurityScheme>): OneToken<T> {
  const oauth = names.map((n, i) => ({ n, s: list[i] })).filter((x) => OAUTH.has(x.s.kind));
  if (oauth.length < 2) return { names, list, requirement };
  // One provider: every URL the schemes name is on one origin.
  if (new Set(oauth.flatMap((x) => origins(schemes[x.n]))).size > 1) return { names, list, requirement };
  const kept = [...oauth].sort((a, b) => preference(a.s) - preference(b.s))[0];
  const into = oauth.filter((x) => x !== kept).map((x) => x.n);
  const scopes = [...new Set(oauth.flatMap((x) => requirement[x.n] ?? []))];
  const merged: SecurityRequirement = Object.create(null) as SecurityRequirement; // "__proto__" is a scheme name like any other
  for (const n of names) if (!into.includes(n)) merged[n] = n === kept.n ? scopes : requirement[n];
  const keep = names.map((n, i) => (into.includes(n) ? -1 : i)).filter((i) => i >= 0);
  return { names: keep.map((i) => names[i]), list: keep.map((i) => list[i]), requirement: merged, merged: { kept: kept.n, into } };
}

/** The notice for a merge. */
export function oneTokenNotice(merged: { kept: string; into: string[] }): string {
  const all = [merged.kept, ...merged.into].join(" and ");
  return `${all} are required together: each is an OAuth2 access token from one provider in the Authorization header, so one token (the credentials of ${merged.kept}, with the scopes of all of them) is sent for them`;
}
