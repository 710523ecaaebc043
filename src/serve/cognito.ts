/**
 * A Cognito user-pool authorizer, locally. The deployed API verifies the token's signature with
 * the pool's keys; serve has no network to the pool, so it decodes the JWT and checks what it can
 * without the keys, as API Gateway does: a token in Authorization (else 401), a JWT, not expired,
 * issued by one of `[api] cognito_user_pools`, an ID token when the operation has no scopes and
 * an access token with one of its scopes when it has. The signature is NOT verified. Allowed
 * requests carry the token's claims (as strings) in `requestContext.authorizer.claims`.
 */

export type CognitoOutcome = { allow: true; claims: Record<string, string> } | { allow: false; why: string };

/** The issuer (`iss`) of tokens of a user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID). */
export function poolIssuer(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([\w-]+)$/.exec(arn);
  return m ? `https://cognito-idp.${m[1]}.amazonaws.com/${m[2]}` : undefined;
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** API Gateway passes claims as strings (numbers and booleans printed, lists and objects as JSON). */
function stringClaims(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(payload)) out[k] = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  return out;
}

/** Checks the Authorization header's token; `scopes`: the operation's authorization scopes (one must match). */
export function checkCognito(authorization: string | undefined, scopes: string[], userPools: string[], nowMs = Date.now()): CognitoOutcome {
  if (!authorization) return { allow: false, why: "no token in header Authorization" };
  const token = authorization.replace(/^bearer\s+/i, "").trim();
  const parts = token.split(".");
  const header = parts.length === 3 ? decodePart(parts[0]) : undefined;
  const payload = header ? decodePart(parts[1]) : undefined;
  if (!payload) return { allow: false, why: "the Authorization header is not a JWT" };
  if (typeof payload.exp !== "number" || payload.exp * 1000 <= nowMs) return { allow: false, why: "the token has expired (or has no exp)" };
  const issuers = userPools.map(poolIssuer).filter((i): i is string => !!i);
  if (!issuers.includes(String(payload.iss))) return { allow: false, why: `the token's issuer ${JSON.stringify(payload.iss)} is none of the user pools (${issuers.join(", ")})` };
  const use = payload.token_use;
  if (scopes.length) {
    if (use !== "access") return { allow: false, why: `the operation has scopes, so API Gateway wants an access token (token_use ${JSON.stringify(use)})` };
    const granted = String(payload.scope ?? "").split(/\s+/).filter(Boolean);
    if (!scopes.some((s) => granted.includes(s))) return { allow: false, why: `the token has none of the scopes ${scopes.join(" ")} (it has: ${granted.join(" ") || "none"})` };
  } else if (use !== "id") {
    return { allow: false, why: `the operation has no scopes, so API Gateway wants an ID token (token_use ${JSON.stringify(use)})` };
  }
  return { allow: true, claims: stringClaims(payload) };
}
