/**
 * How deep a document nests, checked without recursion before the api kind's lint and
 * transform (which recurse, as do structuredClone and JSON.stringify). A schema nested
 * thousands of levels deep is refused with one line naming where it is, never a stack overflow.
 */
import { UserError } from "../util/errors.js";
import { pointer, type Segments } from "./schemas.js";

/**
 * Objects and arrays inside one another, at most. Real specs stay far below (GitHub's reaches
 * about 30); structuredClone alone overflows near 1,700, so this keeps a wide margin.
 */
export const MAX_NESTING = 500;

interface Frame {
  node: unknown;
  depth: number;
  key: string;
  parent?: Frame;
}

function segmentsOf(frame: Frame): Segments {
  const out: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) out.push(f.key);
  return out.reverse();
}

/** The keys down to the first value nested deeper than `limit`, or undefined when none is. */
export function tooDeep(doc: unknown, limit = MAX_NESTING): Segments | undefined {
  // An object shared by several parents (YAML aliases) is walked again only when reached deeper.
  const seen = new Map<object, number>();
  const stack: Frame[] = [{ node: doc, depth: 1, key: "" }];
  while (stack.length) {
    const frame = stack.pop()!;
    const node = frame.node as object;
    if ((seen.get(node) ?? 0) >= frame.depth) continue;
    seen.set(node, frame.depth);
    if (frame.depth > limit) return segmentsOf(frame);
    const push = (key: string, value: unknown) => {
      if (value && typeof value === "object") stack.push({ node: value, depth: frame.depth + 1, key, parent: frame });
    };
    if (Array.isArray(node)) node.forEach((v, i) => push(String(i), v));
    else for (const key in node) push(key, (node as Record<string, unknown>)[key]);
  }
  return undefined;
}

/** `#/components/schemas/Deep/properties/a/…`: the start of a long pointer, enough to find the place. */
export function shortPointer(segments: Segments, shown = 8): string {
  return segments.length > shown ? `${pointer(segments.slice(0, shown))}/…` : pointer(segments);
}

/** Throws the one-line error when `doc` nests deeper than MAX_NESTING. */
export function checkNesting(doc: unknown, location: string): void {
  const at = tooDeep(doc);
  if (!at) return;
  throw new UserError(`${location}: ${shortPointer(at)} nests more than ${MAX_NESTING} levels deep, more than picofun can check or API Gateway import: name the inner schemas under components/schemas and refer to them with $ref`);
}
