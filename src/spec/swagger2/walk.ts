/** The converter's shared pieces: object checks, a cycle-safe copy, and in-place walks that rewrite refs and 2.0-only schema keywords. */
export type Obj = Record<string, unknown>;

export function asObj(v: unknown): Obj | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined;
}
export function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : undefined;
}

/** A deep copy that keeps shared/cyclic objects (YAML anchors) shared instead of looping. */
export function clone<T>(value: T, seen = new Map<object, unknown>()): T {
  if (!value || typeof value !== "object") return value;
  const known = seen.get(value as object);
  if (known) return known as T;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(clone(v, seen));
    return out as T;
  }
  const out: Obj = {};
  seen.set(value as object, out);
  for (const [k, v] of Object.entries(value as Obj)) out[k] = clone(v, seen);
  return out as T;
}

const REF_PREFIXES: Array<[string, string]> = [
  ["#/definitions/", "#/components/schemas/"],
  ["#/parameters/", "#/components/parameters/"],
  ["#/responses/", "#/components/responses/"],
];

export function rewriteRef(ref: string): string {
  for (const [from, to] of REF_PREFIXES) if (ref.startsWith(from)) return to + ref.slice(from.length);
  return ref;
}

/**
 * Calls `visit` once for every plain object reachable from `root` (arrays are walked through).
 * Iterative, so deeply nested documents cannot overflow the stack; shared objects are visited once.
 */
function forEachObject(root: unknown, visit: (o: Obj) => void): void {
  const stack: unknown[] = [root];
  const seen = new Set<object>();
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const o = node as Obj;
    visit(o);
    for (const v of Object.values(o)) if (v && typeof v === "object") stack.push(v);
  }
}

/** Rewrites every internal `$ref` in place. */
export function rewriteRefs(root: unknown): void {
  forEachObject(root, (o) => {
    if (typeof o.$ref === "string") o.$ref = rewriteRef(o.$ref);
  });
}

/** 2.0-only schema keywords -> 3.0 ones, in place, over every schema reachable from `root`. */
export function fixSchemas(root: unknown): void {
  forEachObject(root, (o) => {
    if (o.type === "file") {
      o.type = "string";
      o.format = "binary";
    }
    if ("x-nullable" in o && typeof o["x-nullable"] === "boolean") {
      o.nullable = o["x-nullable"];
      delete o["x-nullable"];
    }
    if (typeof o.discriminator === "string") o.discriminator = { propertyName: o.discriminator };
  });
}
