import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cyclesOf } from "../../src/util/cycles.js";

/** Which nodes can reach which, by walking every path (slow, obviously right). */
function reach(graph: Map<string, string[]>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const start of graph.keys()) {
    const seen = new Set<string>();
    const todo = [...(graph.get(start) ?? [])];
    while (todo.length) {
      const n = todo.pop()!;
      if (!graph.has(n) || seen.has(n)) continue;
      seen.add(n);
      todo.push(...graph.get(n)!);
    }
    out.set(start, seen);
  }
  return out;
}

describe("cyclesOf (strongly connected components that are cycles)", () => {
  it("finds the cycles it is given, a self-loop included, and none in a chain", () => {
    const g = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
      ["e", ["e"]],
    ]);
    expect(cyclesOf(g)).toEqual([["a", "b", "c"], ["e"]]);
    expect(cyclesOf(new Map([["a", ["b"]], ["b", ["c"]], ["c", []]]))).toEqual([]);
    expect(cyclesOf(new Map([["a", ["missing"]]]))).toEqual([]);
  });

  it("walks a 20,000-node cycle without recursion", () => {
    const n = 20_000;
    const g = new Map(Array.from({ length: n }, (_, i) => [`n${i}`, [`n${(i + 1) % n}`]] as [string, string[]]));
    const found = cyclesOf(g);
    expect(found).toHaveLength(1);
    expect(found[0]).toHaveLength(n);
  });

  it("property: a node is in a cycle exactly when it can reach itself, and two nodes share one exactly when each reaches the other", () => {
    const names = ["a", "b", "c", "d", "e", "f", "constructor", "__proto__"];
    const graph = fc
      .array(fc.tuple(fc.constantFrom(...names), fc.array(fc.constantFrom(...names, "elsewhere"), { maxLength: 4 })), { maxLength: 8 })
      .map((entries) => new Map(entries));
    fc.assert(
      fc.property(graph, (g) => {
        const r = reach(g);
        const found = cyclesOf(g);
        const component = new Map<string, number>();
        found.forEach((members, i) => members.forEach((m) => component.set(m, i)));
        for (const a of g.keys()) {
          expect(component.has(a)).toBe(r.get(a)!.has(a));
          for (const b of g.keys()) {
            if (a === b || !component.has(a)) continue;
            expect(component.get(a) === component.get(b)).toBe(r.get(a)!.has(b) && r.get(b)!.has(a));
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
