/** The api kind's function names per operation, as `generate` names them (for `picofun list endpoints`). */
import { assignOperationIds, listOperations, nameOperations, opKey } from "./operationIds.js";
import { INTEGRATION_KEY, isPicofunIntegration } from "./gateway/transform.js";

/**
 * "METHOD path" -> function name (undefined: no function, i.e. TRACE or an integration of the
 * spec's own). Included operations are named together, as generate names them; the others as if
 * every operation were included.
 */
export function apiFunctionNames(doc: Record<string, unknown>, included: Set<string>, namespace: string): Map<string, string | undefined> {
  const ops = listOperations(doc).filter((o) => o.method !== "trace");
  const ids = assignOperationIds(ops);
  const idOf = (o: (typeof ops)[number]) => ids.get(opKey(o.method, o.path))!;
  const kept = nameOperations(ops.filter((o) => included.has(opKey(o.method, o.path))).map(idOf), namespace);
  const all = nameOperations(ops.map(idOf), namespace);
  const out = new Map<string, string | undefined>();
  for (const o of ops) {
    const key = opKey(o.method, o.path);
    const n = (included.has(key) ? kept : all).get(idOf(o))!;
    const own = o.op[INTEGRATION_KEY] !== undefined && !isPicofunIntegration(o.op[INTEGRATION_KEY], n.functionName);
    out.set(key, own ? undefined : n.functionName);
  }
  return out;
}
