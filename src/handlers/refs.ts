/** Local `$ref` lookups over the raw document, for the typed handlers' code generation. */

export type Json = Record<string, unknown>;

export const SCHEMA_PREFIX = "#/components/schemas/";
export const DEFINITIONS_PREFIX = "#/definitions/";

function pointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let at: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!at || typeof at !== "object" || !Object.hasOwn(at, key)) return undefined;
    at = (at as Json)[key];
  }
  return at;
}

/** Follows `$ref`s (up to 32 hops; a cycle or a dangling reference gives undefined). */
export function deref(doc: Json, value: unknown): Json | undefined {
  let at = value;
  for (let hops = 0; hops < 32; hops++) {
    if (!at || typeof at !== "object" || Array.isArray(at)) return undefined;
    const ref = (at as Json).$ref;
    if (typeof ref !== "string") return at as Json;
    at = pointer(doc, ref);
  }
  return undefined;
}

/** The component schemas (OpenAPI 3 `components.schemas`, else Swagger's `definitions`). */
export function componentSchemas(doc: Json): Json {
  const c = (doc.components as Json | undefined)?.schemas ?? doc.definitions;
  return c && typeof c === "object" && !Array.isArray(c) ? (c as Json) : {};
}

/** The schema name a `$ref` points at, when it is a component schema. */
export function schemaRefName(ref: unknown): string | undefined {
  if (typeof ref !== "string") return undefined;
  for (const p of [SCHEMA_PREFIX, DEFINITIONS_PREFIX]) {
    if (ref.startsWith(p) && !ref.slice(p.length).includes("/")) return decodeURIComponent(ref.slice(p.length)).replace(/~1/g, "/").replace(/~0/g, "~");
  }
  return undefined;
}
