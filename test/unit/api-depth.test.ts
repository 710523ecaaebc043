import { describe, expect, it } from "vitest";
import { MAX_NESTING, shortPointer, tooDeep } from "../../src/spec/depth.js";

function nest(levels: number, key = "a"): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) v = { [key]: v };
  return v;
}

describe("tooDeep", () => {
  it("accepts MAX_NESTING levels and names the first key path one level deeper", () => {
    expect(tooDeep(nest(MAX_NESTING))).toBeUndefined();
    const at = tooDeep({ ok: nest(3), deep: [nest(MAX_NESTING)] });
    expect(at?.slice(0, 4)).toEqual(["deep", "0", "a", "a"]);
    expect(at).toHaveLength(MAX_NESTING);
  });

  it("walks 100,000 levels without recursion", () => {
    const at = tooDeep(nest(100_000));
    expect(at).toHaveLength(MAX_NESTING);
  });

  it("an object shared at two depths is judged where it sits deepest", () => {
    const shared = nest(10);
    expect(tooDeep({ x: shared, y: { z: shared } }, 12)).toBeUndefined();
    expect(tooDeep({ x: shared, y: { z: shared } }, 11)?.slice(0, 2)).toEqual(["y", "z"]);
  });

  it("shortPointer keeps the start, escaped as a JSON pointer", () => {
    expect(shortPointer(["paths", "/a/b", "get"])).toBe("#/paths/~1a~1b/get");
    expect(shortPointer(["components", "schemas", "D", "properties", "a", "properties", "a", "properties", "a"])).toBe("#/components/schemas/D/properties/a/properties/a/properties/…");
  });
});
