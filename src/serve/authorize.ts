/**
 * The authorizer of an operation, locally. Lambda authorizers run as API Gateway runs them: a
 * TOKEN or REQUEST event in, an IAM policy out; allowed requests carry the authorizer's
 * `principalId` and `context` on to the handler in `requestContext.authorizer`. A request
 * without the identity source (header or query parameter) is refused (401) before any
 * authorizer runs. Cognito authorizers: `cognito.ts`. An authorizer the spec writes itself
 * (`x-amazon-apigateway-authorizer`) cannot run here: the request passes with its credential.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { stubExtension, type StubLanguage } from "../kinds/api/stubs/stubs.js";
import { headerValue, type RawRequest } from "../local/event.js";
import { jsonAnswer, type HttpAnswer } from "../local/result.js";
import type { Access, LocalAuthorizer } from "./access.js";
import { checkCognito } from "./cognito.js";
import type { WorkerPool } from "../local/workers.js";

export type AuthOutcome = { allow: true; authorizer: Record<string, unknown> } | { allow: false; answer: HttpAnswer; why: string };

const UNAUTHORIZED = (why: string): AuthOutcome => ({ allow: false, answer: jsonAnswer(401, { message: "Unauthorized" }), why });
const DENIED = (why: string): AuthOutcome => ({
  allow: false,
  answer: jsonAnswer(403, { Message: "User is not authorized to access this resource with an explicit deny" }),
  why,
});
const BROKEN = (why: string): AuthOutcome => ({ allow: false, answer: jsonAnswer(500, { message: null }), why });

/** The identity source's value (`method.request.header.X` / `method.request.querystring.X`). */
function credential(a: LocalAuthorizer, req: RawRequest): string | undefined {
  const m = /^method\.request\.(header|querystring)\.(.+)$/.exec(a.identitySource);
  if (!m) return headerValue(req.headers, "authorization");
  const value = m[1] === "header" ? headerValue(req.headers, m[2]) : req.query.find(([k]) => k === m[2])?.[1];
  return value === undefined || value === "" ? undefined : value;
}

function arnMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(arn);
}

function statements(result: Record<string, unknown>): Array<Record<string, unknown>> {
  const doc = result.policyDocument as Record<string, unknown> | undefined;
  const s = doc?.Statement;
  return (Array.isArray(s) ? s : s ? [s] : []) as Array<Record<string, unknown>>;
}

/** Runs the authorizer of a route (`access.authorizer` set); `event` is the proxy event the handler would get. */
export async function authorize(
  access: Access,
  req: RawRequest,
  event: Record<string, unknown>,
  ctx: { handlersDir: string; lang: StubLanguage; stage: string; pool: WorkerPool; log: (l: string) => void; userPools: string[] },
): Promise<AuthOutcome> {
  const a = access.authorizer!;
  const given = credential(a, req);
  const where = a.identitySource.replace(/^method\.request\./, "").replace(/^querystring/, "query").replace(".", " ");
  if (!given) return UNAUTHORIZED(`no credential in ${where}`);
  if (a.type === "cognito") {
    const c = checkCognito(given, access.scopes, ctx.userPools);
    return c.allow ? { allow: true, authorizer: { claims: c.claims } } : UNAUTHORIZED(`Cognito authorizer ${a.scheme}: ${c.why}`);
  }
  if (!a.module) {
    ctx.log(`  authorizer ${a.scheme} is the spec's own x-amazon-apigateway-authorizer: not run locally, the request passes`);
    return { allow: true, authorizer: { principalId: "local" } };
  }
  const file = join(ctx.handlersDir, `${a.module}.${stubExtension(ctx.lang)}`);
  if (!existsSync(file)) return BROKEN(`authorizer ${a.scheme}: ${file} is missing (run picofun generate)`);
  const methodArn = `arn:aws:execute-api:local:000000000000:local/${ctx.stage}/${req.method}${req.path}`;
  const authEvent =
    a.type === "token"
      ? { type: "TOKEN", authorizationToken: given, methodArn }
      : { type: "REQUEST", methodArn, ...event, requestContext: { ...(event.requestContext as object), authorizer: undefined } };
  const outcome = await ctx.pool.invoke(ctx.lang, { file, module: a.module, event: authEvent, functionName: a.module, timeoutMs: 30_000 });
  if (!outcome.ok) {
    if (outcome.errorMessage === "Unauthorized") return UNAUTHORIZED(`authorizer ${a.scheme} raised Unauthorized`);
    for (const l of outcome.stackTrace) ctx.log(l.replace(/\n$/, ""));
    return BROKEN(`authorizer ${a.scheme} failed: ${outcome.errorType}: ${outcome.errorMessage}`);
  }
  const result = outcome.result as Record<string, unknown> | null;
  if (!result || typeof result !== "object" || typeof result.principalId !== "string") return BROKEN(`authorizer ${a.scheme} returned no principalId and policy`);
  const matching = statements(result).filter((s) => {
    const res = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    return res.some((r) => typeof r === "string" && arnMatches(r, methodArn));
  });
  if (matching.some((s) => String(s.Effect).toLowerCase() === "deny")) return DENIED(`authorizer ${a.scheme} denied ${methodArn}`);
  if (!matching.some((s) => String(s.Effect).toLowerCase() === "allow")) return DENIED(`authorizer ${a.scheme} allowed nothing matching ${methodArn}`);
  const context = result.context && typeof result.context === "object" ? (result.context as Record<string, unknown>) : {};
  const authorizer: Record<string, unknown> = { ...context, principalId: result.principalId, integrationLatency: 0 };
  if (result.usageIdentifierKey !== undefined) authorizer.usageIdentifierKey = result.usageIdentifierKey;
  return { allow: true, authorizer };
}
