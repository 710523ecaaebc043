/**
 * A key named `__proto__` is refused with one line naming where it is. JSON.parse and js-yaml keep
 * it as an ordinary key, but JavaScript code that copies a map key by key (`out[k] = v`, in
 * picofun and in the libraries it uses) sets the copy's prototype instead, so the key would
 * vanish, or hand its value to every lookup of a missing name, somewhere between the spec and the
 * generated files. No real API needs the name; failing at the start is the one safe answer.
 */
import { UserError } from "../util/errors.js";
import { pointer, type Segments } from "./schemas.js";

const KEY = "__proto__";

/** The JSON pointer of the first `__proto__` key in `doc`, if any (iterative: no depth limit). */
export function protoKeyAt(doc: unknown): string | undefined {
  const stack: Array<[unknown, Segments]> = [[doc, []]];
  const seen = new Set<object>();
  while (stack.length) {
    const [node, at] = stack.pop()!;
    if (!node || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], [...at, String(i)]]);
      continue;
    }
    if (Object.hasOwn(node, KEY)) return pointer([...at, KEY]);
    const keys = Object.keys(node);
    for (let i = keys.length - 1; i >= 0; i--) stack.push([(node as Record<string, unknown>)[keys[i]], [...at, keys[i]]]);
  }
  return undefined;
}

/** `__proto__` with any of its characters written as a JSON (`\u005f`) or YAML (`\x5f`, `\U0000005f`) escape. */
const ESCAPED = new RegExp(
  [...KEY]
    .map((ch) => {
      const hex = ch.charCodeAt(0).toString(16);
      const forms = [...new Set([hex, hex.toUpperCase()])].flatMap((h) => [`\\\\u00${h}`, `\\\\x${h}`, `\\\\U000000${h}`]);
      return `(?:${ch}|${forms.join("|")})`;
    })
    .join(""),
);

/** Whether the document's bytes may spell the key: as written, or with escapes (only then is the document walked). */
function mayHold(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // "_proto_" is in every plain spelling, and Buffer.includes finds it four times faster than the whole name (GitHub's 13 MB: 1.3 ms).
  if (b.includes("_proto_")) return true;
  if (!b.includes("\\u00") && !b.includes("\\x") && !b.includes("\\U")) return false;
  return ESCAPED.test(b.toString("latin1"));
}

/** Throws a UserError when the document has a `__proto__` key; `bytes` (the document's) spares the walk when the name cannot be in it. */
export function refuseProtoKeys(doc: unknown, bytes: Uint8Array, where: string): void {
  if (!mayHold(bytes)) return;
  const at = protoKeyAt(doc);
  if (at) throw new UserError(`${where}: a key named "${KEY}" (${at}) is not supported (JavaScript reads that name as an object's prototype, not as a key); rename it`);
}
