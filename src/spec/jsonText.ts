/**
 * Big JSON specs are nearly all ASCII (GitHub's: 140 non-ASCII bytes in 13 MB), but a single
 * non-ASCII character makes V8 decode the whole UTF-8 document slowly into a two-byte string,
 * which JSON.parse then also reads more slowly. `jsonParseFast` decodes the bytes as Latin-1
 * (one byte, one character: fast, one-byte string) and writes every run of non-ASCII bytes as
 * the `\uXXXX` escapes of the characters it encodes. Inside a JSON string an escape means
 * exactly the character; anywhere else it is as invalid as the raw character was. A run right
 * after an unpaired backslash (where an escape would change the meaning) gives up: the caller then parses
 * the properly decoded text, which also gives the exact error message for invalid documents.
 */

const NON_ASCII = /[\u0080-\u00ff]+/g;

class GiveUp extends Error {}

const views = new WeakMap<Uint8Array, string>();

/**
 * The bytes as a one-byte string, one character per byte, made once per document: exact for
 * ASCII, which is all that the `$ref` scan and the JSON structure look at.
 */
export function latin1View(bytes: Uint8Array): string {
  let view = views.get(bytes);
  if (view === undefined) {
    view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    views.set(bytes, view);
  }
  return view;
}

function escapes(run: string): string {
  const chars = Buffer.from(run, "latin1").toString("utf8");
  let out = "";
  for (let i = 0; i < chars.length; i++) out += `\\u${chars.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}

/** JSON.parse of UTF-8 bytes, or undefined when the fast path does not apply (use the decoded text). */
export function jsonParseFast(bytes: Uint8Array): unknown {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A byte-order mark, or a document that does not start with `{`: the ordinary path.
  if (buffer[0] !== 0x7b && !/^[\t\n\r ]*\{/.test(buffer.toString("latin1", 0, Math.min(64, buffer.length)))) return undefined;
  const latin1 = latin1View(bytes);
  let text: string;
  try {
    text = latin1.replace(NON_ASCII, (run: string, offset: number) => {
      let slashes = 0;
      while (offset - slashes > 0 && latin1.charCodeAt(offset - slashes - 1) === 0x5c) slashes++;
      if (slashes % 2 === 1) throw new GiveUp();
      return escapes(run);
    });
  } catch (err) {
    if (err instanceof GiveUp) return undefined;
    throw err;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
