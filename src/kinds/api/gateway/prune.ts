/**
 * The document cut down to the operations the allowlist keeps: other operations, and every
 * component nothing kept refers to, are left out. Lint and transform work on this, so a big spec
 * (GitHub's) with a two-operation allowlist is checked on those two operations only.
 */
import { HTTP_METHODS } from "../../../model/types.js";
import { opKey } from "../operationIds.js";
import { isObject, refSegments, valueAt } from "../../../spec/schemas.js";

/** Top-level maps whose entries are kept only when referenced (OpenAPI 3 components, Swagger 2 maps). */
const PRUNED_2 = ["definitions", "parameters", "responses"];

/** Internal `$ref`s in a value, found without recursion (any depth). Extensions are searched too. */
function collectRefs(root: unknown, found: Set<string>): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const v of node) if (v && typeof v === "object") stack.push(v);
    } else if (isObject(node)) {
      if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) found.add(node.$ref);
      for (const v of Object.values(node)) if (v && typeof v === "object") stack.push(v);
    }
  }
}

/** `#/components/schemas/Pet/properties/x` -> ["components", "schemas", "Pet"] (the component holding it). */
function componentOf(ref: string): string[] | undefined {
  const segs = refSegments(ref.slice(2));
  if (segs[0] === "components" && segs.length >= 3) return segs.slice(0, 3);
  if (PRUNED_2.includes(segs[0]) && segs.length >= 2) return segs.slice(0, 2);
  return undefined;
}

/** Security scheme names an operation list (or the document) requires. */
function schemeNames(security: unknown, into: Set<string>): void {
  if (!Array.isArray(security)) return;
  for (const req of security) if (isObject(req)) for (const k of Object.keys(req)) into.add(k);
}

/**
 * A copy of `doc` (top levels copied, the rest shared: do not mutate nested values) with only
 * the operations whose "METHOD path" key is in `keep`, and only the components they reach.
 */
export function keepOperations(doc: Record<string, unknown>, keep: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc };
  const paths = isObject(doc.paths) ? doc.paths : {};
  const keptPaths: Record<string, unknown> = {};
  const roots: unknown[] = [];
  const schemes = new Set<string>();
  schemeNames(doc.security, schemes);
  for (const path of Object.keys(paths)) {
    const item = paths[path];
    if (!isObject(item)) continue;
    const copy: Record<string, unknown> = {};
    let any = false;
    for (const [k, v] of Object.entries(item)) {
      if ((HTTP_METHODS as readonly string[]).includes(k)) {
        if (!keep.has(opKey(k, path))) continue;
        any = true;
        if (isObject(v)) schemeNames(v.security, schemes);
      }
      copy[k] = v;
    }
    // A path item given as $ref keeps its operations in the component it points to.
    if (!any && typeof item.$ref !== "string") continue;
    keptPaths[path] = copy;
    roots.push(copy);
  }
  out.paths = keptPaths;

  const refs = new Set<string>();
  for (const r of roots) collectRefs(r, refs);
  const kept = new Set<string>();
  const queue = [...refs];
  while (queue.length) {
    const ref = queue.pop()!;
    const comp = componentOf(ref);
    if (!comp) continue;
    const key = comp.join("\u0000");
    if (kept.has(key)) continue;
    kept.add(key);
    const found = new Set<string>();
    collectRefs(valueAt(doc, comp), found);
    for (const f of found) queue.push(f);
  }
  const keptIn = (prefix: string[], name: string) => kept.has([...prefix, name].join("\u0000"));

  if (isObject(doc.components)) {
    const components: Record<string, unknown> = {};
    for (const [type, map] of Object.entries(doc.components)) {
      if (!isObject(map) || type.startsWith("x-")) {
        components[type] = map;
        continue;
      }
      const entries = Object.entries(map).filter(([name]) => (type === "securitySchemes" ? schemes.has(name) : keptIn(["components", type], name)));
      if (entries.length) components[type] = Object.fromEntries(entries);
    }
    out.components = components;
  }
  for (const type of PRUNED_2) {
    if (!isObject(doc[type])) continue;
    out[type] = Object.fromEntries(Object.entries(doc[type] as Record<string, unknown>).filter(([name]) => keptIn([type], name)));
  }
  if (isObject(doc.securityDefinitions)) {
    out.securityDefinitions = Object.fromEntries(Object.entries(doc.securityDefinitions).filter(([name]) => schemes.has(name)));
  }
  // Webhooks are not served by the REST API.
  delete out.webhooks;
  return out;
}
