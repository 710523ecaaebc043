/** Walking the schema objects of an OpenAPI (2.0, 3.0 or 3.1) document, with JSON pointers. */

export type Segments = string[];

/** RFC 6901 pointer of a list of keys: `#/paths/~1pets/get`. */
export function pointer(segments: Segments): string {
  return `#/${segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

const SUBSCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const SUBSCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SUBSCHEMA_ONE = ["not", "additionalProperties", "items", "contains", "propertyNames", "if", "then", "else", "unevaluatedProperties", "unevaluatedItems", "additionalItems"];

/** Calls `visit` for a schema and every schema nested in it (not following `$ref`). */
export function walkSchemaTree(schema: unknown, at: Segments, visit: (s: Record<string, unknown>, at: Segments) => void): void {
  if (!isObject(schema)) return;
  visit(schema, at);
  for (const key of SUBSCHEMA_MAPS) {
    const map = schema[key];
    if (isObject(map)) for (const name of Object.keys(map)) walkSchemaTree(map[name], [...at, key, name], visit);
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = schema[key];
    if (Array.isArray(list)) list.forEach((s, i) => walkSchemaTree(s, [...at, key, String(i)], visit));
  }
  for (const key of SUBSCHEMA_ONE) {
    const one = schema[key];
    if (Array.isArray(one)) one.forEach((s, i) => walkSchemaTree(s, [...at, key, String(i)], visit));
    else walkSchemaTree(one, [...at, key], visit);
  }
}

/**
 * Every schema of the document: named models (`components.schemas`, `definitions`) and the
 * `schema` of parameters, media types and headers, wherever they sit. Examples and extensions
 * are not searched.
 */
export function walkSchemas(doc: Record<string, unknown>, visit: (s: Record<string, unknown>, at: Segments) => void): void {
  const components = doc.components;
  if (isObject(components) && isObject(components.schemas)) {
    for (const name of Object.keys(components.schemas)) walkSchemaTree(components.schemas[name], ["components", "schemas", name], visit);
  }
  if (isObject(doc.definitions)) {
    for (const name of Object.keys(doc.definitions)) walkSchemaTree(doc.definitions[name], ["definitions", name], visit);
  }
  const search = (node: unknown, at: Segments): void => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => search(v, [...at, String(i)]));
      return;
    }
    if (!isObject(node)) return;
    for (const key of Object.keys(node)) {
      if (key === "example" || key === "examples" || key.startsWith("x-")) continue;
      if (at.length === 0 && (key === "definitions" || key === "info")) continue;
      if (at.length === 1 && at[0] === "components" && key === "schemas") continue;
      if (key === "schema" && isObject(node[key])) walkSchemaTree(node[key], [...at, key], visit);
      else search(node[key], [...at, key]);
    }
  };
  search(doc, []);
}

/** The value at `segments` inside `doc`, or undefined. */
export function valueAt(doc: unknown, segments: Segments): unknown {
  let node = doc;
  for (const s of segments) {
    if (Array.isArray(node)) node = node[Number(s)];
    else if (isObject(node)) node = node[s];
    else return undefined;
  }
  return node;
}

/** Resolves an internal `$ref` (`#/components/...`); undefined for external or broken ones. */
export function resolveRef(doc: Record<string, unknown>, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  return valueAt(doc, refSegments(ref.slice(2)));
}

/**
 * The segments of a JSON pointer taken from a `$ref` (a URI fragment): %-escapes decoded where they
 * form UTF-8 (a stray `%` stays as it is, as the spec's own tools read it), then `~1` and `~0`.
 */
export function refSegments(pointerText: string): string[] {
  return pointerText.split("/").map((s) => refSegment(s));
}

export function refSegment(s: string): string {
  const decoded = s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
  return decoded.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** A parameter with its `$ref` followed (one level chains too). */
export function deref(doc: Record<string, unknown>, value: unknown): Record<string, unknown> | undefined {
  let v = value;
  for (let i = 0; i < 10 && isObject(v) && typeof v.$ref === "string"; i++) v = resolveRef(doc, v.$ref);
  return isObject(v) ? v : undefined;
}

export { isObject };
