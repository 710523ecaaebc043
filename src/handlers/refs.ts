/** Local `$ref` lookups over the raw document, for the typed handlers' code generation. */

export type Json = Record<string, unknown>;

export const SCHEMA_PREFIX = "#/components/schemas/";
export const DEFINITIONS_PREFIX = "#/definitions/";

/** A percent-decoded pointer segment; as written when it is not valid percent-encoding. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const unescape = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

function pointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let at: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    if (!at || typeof at !== "object") return undefined;
    const key = [unescape(raw), unescape(safeDecode(raw))].find((k) => Object.hasOwn(at as object, k));
    if (key === undefined) return undefined;
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

/** The model of a `$ref`'s schema name: as written, else percent-decoded. */
export function modelOf(models: Map<string, string>, name: string): string | undefined {
  return models.get(name) ?? models.get(unescape(safeDecode(name)));
}

/** The schema name a `$ref` points at (pointer escapes undone, percent-encoding kept), when it is a component schema. */
export function schemaRefName(ref: unknown): string | undefined {
  if (typeof ref !== "string") return undefined;
  for (const p of [SCHEMA_PREFIX, DEFINITIONS_PREFIX]) {
    if (ref.startsWith(p) && !ref.slice(p.length).includes("/")) return unescape(ref.slice(p.length));
  }
  return undefined;
}
