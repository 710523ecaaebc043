/** The binary media types of the API: the spec's own list, plus the non-text content types it uses. */
import { HTTP_METHODS } from "../model/types.js";
import { deref, isObject } from "../api/schemas.js";

export const BINARY_KEY = "x-amazon-apigateway-binary-media-types";

function isBinaryType(type: string): boolean {
  const t = type.split(";")[0].trim().toLowerCase();
  if (!t || t === "*/*" || t.startsWith("text/")) return false;
  if (/[/+](json|xml|yaml)$/.test(t) || t.endsWith("-json")) return false;
  return !["application/x-www-form-urlencoded", "application/javascript", "application/x-yaml", "application/graphql", "application/x-ndjson"].includes(t);
}

export function binaryMediaTypes(doc: Record<string, unknown>): string[] {
  const out = new Set<string>(Array.isArray(doc[BINARY_KEY]) ? (doc[BINARY_KEY] as unknown[]).filter((x): x is string => typeof x === "string") : []);
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (!isObject(op)) continue;
      const content = deref(doc, op.requestBody)?.content;
      if (isObject(content)) for (const t of Object.keys(content)) if (isBinaryType(t)) out.add(t);
    }
  }
  return [...out].sort();
}
