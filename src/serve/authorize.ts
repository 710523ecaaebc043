/**
 * Lambda authorizers run locally, as API Gateway runs them: a TOKEN or REQUEST event in, an IAM
 * policy out. Allowed requests carry the authorizer's `principalId` and `context` on to the
 * handler in `requestContext.authorizer`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { stubExtension, type StubLanguage } from "../api/stubs.js";
import { headerValue, type RawRequest } from "./event.js";
import { jsonAnswer, type HttpAnswer } from "./result.js";
import type { AuthorizerRef } from "./security.js";
import type { WorkerPool } from "./workers.js";

export type AuthOutcome = { allow: true; authorizer: Record<string, unknown> } | { allow: false; answer: HttpAnswer; why: string };

const UNAUTHORIZED = (why: string): AuthOutcome => ({ allow: false, answer: jsonAnswer(401, { message: "Unauthorized" }), why });
const DENIED = (why: string): AuthOutcome => ({
  allow: false,
  answer: jsonAnswer(403, { Message: "User is not authorized to access this resource with an explicit deny" }),
  why,
});
const BROKEN = (why: string): AuthOutcome => ({ allow: false, answer: jsonAnswer(500, { message: null }), why });

function credential(a: AuthorizerRef, req: RawRequest): string | undefined {
  if (a.source.in === "header") return headerValue(req.headers, a.source.name);
  if (a.source.in === "query") return req.query.find(([k]) => k === a.source.name)?.[1];
  const cookies = headerValue(req.headers, "cookie") ?? "";
  return cookies.split(/;\s*/).some((c) => c.startsWith(`${a.source.name}=`)) ? cookies : undefined;
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

/** Runs the authorizer of a route; `event` is the proxy event the handler would get. */
export async function authorize(
  a: AuthorizerRef,
  req: RawRequest,
  event: Record<string, unknown>,
  ctx: { handlersDir: string; lang: StubLanguage; stage: string; pool: WorkerPool; log: (l: string) => void },
): Promise<AuthOutcome> {
  const given = credential(a, req);
  if (!given) return UNAUTHORIZED(`no credential in ${a.source.in} ${a.source.name}`);
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
