/** Named models that take part in a `$ref` cycle: strongly connected components, in linear time. */
import { isObject, refSegment, type Segments } from "../../../spec/schemas.js";

export function schemaNames(doc: Record<string, unknown>): { map: Record<string, unknown>; at: Segments; prefix: string } | undefined {
  if (isObject(doc.components) && isObject(doc.components.schemas)) {
    return { map: doc.components.schemas, at: ["components", "schemas"], prefix: "#/components/schemas/" };
  }
  if (isObject(doc.definitions)) return { map: doc.definitions, at: ["definitions"], prefix: "#/definitions/" };
  return undefined;
}

/** Every `$ref` inside a value (examples not searched), without recursion. */
function refsIn(root: unknown, found: Set<string>): void {
  const stack = [root];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      if (typeof node.$ref === "string") found.add(node.$ref);
      for (const k in node) if (k !== "example" && k !== "examples") stack.push(node[k]);
    }
  }
}

/** Model name -> the models it refers to. */
function modelEdges(doc: Record<string, unknown>): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  const names = schemaNames(doc);
  if (!names) return edges;
  for (const name of Object.keys(names.map)) {
    const found = new Set<string>();
    refsIn(names.map[name], found);
    const targets = [...found].filter((r) => r.startsWith(names.prefix)).map((r) => refSegment(r.slice(names.prefix.length)));
    edges.set(name, targets.filter((t) => Object.hasOwn(names.map, t)));
  }
  return edges;
}

/**
 * Models that can reach themselves through `$ref`s (a self-reference included), sorted.
 * Tarjan's algorithm with an explicit stack, so a 10,000-long chain costs 10,000 steps, not 10,000².
 */
export function circularModels(doc: Record<string, unknown>): string[] {
  const edges = modelEdges(doc);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circular: string[] = [];
  let next = 0;
  for (const start of edges.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; edge: number }> = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const out = edges.get(frame.node)!;
      if (frame.edge < out.length) {
        const to = out[frame.edge++];
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let n: string;
      do {
        n = stack.pop()!;
        onStack.delete(n);
        component.push(n);
      } while (n !== frame.node);
      if (component.length > 1 || out.includes(frame.node)) circular.push(...component);
    }
  }
  return circular.sort();
}
