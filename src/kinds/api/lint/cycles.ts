/** Named models that take part in a `$ref` cycle: strongly connected components, in linear time. */
import { isObject, refSegment, type Segments } from "../../../spec/schemas.js";
import { cyclesOf } from "../../../util/cycles.js";

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

/** Models that can reach themselves through `$ref`s (a self-reference included), sorted. */
export function circularModels(doc: Record<string, unknown>): string[] {
  return cyclesOf(modelEdges(doc)).flat().sort();
}
