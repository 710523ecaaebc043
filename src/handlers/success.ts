/** The success answer an operation declares: the first 2xx status (200 when none) and its JSON schema. */
import { deref, type Json } from "./refs.js";

export function successOf(doc: Json, op: Json): { status: number; schema?: unknown; empty: boolean } {
  const responses = op.responses && typeof op.responses === "object" ? (op.responses as Json) : {};
  const code = Object.keys(responses).filter((c) => /^2\d\d$/.test(c)).sort()[0];
  if (!code) return { status: 200, empty: false };
  const r = deref(doc, responses[code]);
  const content = r && r.content && typeof r.content === "object" ? (r.content as Json) : undefined;
  const json = content ? Object.keys(content).find((t) => /json/i.test(t)) : undefined;
  const media = json ? deref(doc, content![json]) : undefined;
  return { status: Number(code), schema: media?.schema, empty: !content || !Object.keys(content).length };
}
