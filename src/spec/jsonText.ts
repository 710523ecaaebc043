import { isAscii } from "node:buffer";

/**
 * Big JSON specs are nearly all ASCII (GitHub's: 140 non-ASCII bytes in 13 MB), but a single
 * non-ASCII character makes V8 decode the whole UTF-8 document slowly into a two-byte string,
 * which JSON.parse then also reads more slowly. `jsonParseFast` makes a one-byte string in
 * which every run of non-ASCII bytes is written as the `\uXXXX` escapes of the characters it
 * encodes. Inside a JSON string an escape means exactly the character; anywhere else it is as
 * invalid as the raw character was. A run right after an unpaired backslash (where an escape
 * would change the meaning) gives up: the caller then parses the properly decoded text, which
 * also gives the exact error message for invalid documents.
 *
 * Memory is what costs here (on a virtual machine every fresh page is a slow fault): the text
 * is made with one copy of the document. Bytes read by `readWithSlack` have room behind them:
 * the escapes are written into the bytes themselves (the rest moved along), the string is made
 * from that, and the bytes are put back as they were read, before anything else sees them.
 */

/** Room for escapes behind documents read by readWithSlack (each non-ASCII character adds 2 to 8 bytes). */
export const SLACK = 64 * 1024;

/** Bytes whose ArrayBuffer has SLACK bytes of this module's own behind them. */
const withRoom = new WeakSet<Uint8Array>();

/** The first `length` bytes of `buffer` (which must have SLACK more), marked as having that room behind them. */
export function ownedWithSlack(buffer: Buffer, length: number): Buffer {
  if (buffer.length < length + SLACK || buffer.byteOffset !== 0 || buffer.buffer.byteLength !== buffer.length) {
    throw new Error("internal error: a buffer of its own with SLACK bytes of room is needed");
  }
  const view = buffer.subarray(0, length);
  withRoom.add(view);
  return view;
}

/** A copy of `bytes` with room behind it (what readSpecSource gives for files). */
export function copyWithSlack(bytes: Uint8Array): Buffer {
  const room = Buffer.allocUnsafeSlow(bytes.length + SLACK);
  room.set(bytes);
  return ownedWithSlack(room, bytes.length);
}

/** The runs of non-ASCII bytes, [start, end), found by halving ranges with the SIMD ASCII check. */
function nonAsciiRuns(buf: Buffer): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const visit = (start: number, end: number): void => {
    if (isAscii(buf.subarray(start, end))) return;
    if (end - start > 512) {
      const mid = (start + end) >>> 1;
      visit(start, mid);
      visit(mid, end);
      return;
    }
    for (let i = start; i < end; i++) {
      if (buf[i] < 0x80) continue;
      const last = runs[runs.length - 1];
      if (last && last[1] === i) last[1] = i + 1;
      else runs.push([i, i + 1]);
    }
  };
  visit(0, buf.length);
  return runs;
}

/** The `\uXXXX` escapes of the characters a run of non-ASCII bytes encodes (U+FFFD for invalid UTF-8, as decoding does). */
function escapes(run: Uint8Array): string {
  const chars = Buffer.from(run.buffer, run.byteOffset, run.byteLength).toString("utf8");
  let out = "";
  for (let i = 0; i < chars.length; i++) out += `\\u${chars.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}

/** Whether the byte before `at` ends an odd number of backslashes (an escape would then change the meaning). */
function afterBackslash(buf: Buffer, at: number): boolean {
  let slashes = 0;
  while (at - slashes > 0 && buf[at - slashes - 1] === 0x5c) slashes++;
  return slashes % 2 === 1;
}

/** The escaped one-byte text, or undefined when a run follows an unpaired backslash. */
function escapedText(buf: Buffer, owned: boolean): string | undefined {
  const runs = nonAsciiRuns(buf);
  if (!runs.length) return buf.toString("latin1");
  if (runs.some(([start]) => afterBackslash(buf, start))) return undefined;
  const escaped = runs.map(([start, end]) => escapes(buf.subarray(start, end)));
  const extra = runs.reduce((n, [start, end], i) => n + escaped[i].length - (end - start), 0);
  if (!owned || extra > SLACK) {
    // No room of our own behind the bytes: the pieces, joined into one string.
    const parts: string[] = [];
    let at = 0;
    runs.forEach(([start, end], i) => {
      parts.push(buf.toString("latin1", at, start), escaped[i]);
      at = end;
    });
    parts.push(buf.toString("latin1", at));
    return parts.join("");
  }
  const room = Buffer.from(buf.buffer, buf.byteOffset, buf.length + extra);
  const saved = runs.map(([start, end]) => Buffer.from(buf.subarray(start, end)));
  // Shift (from the end backwards, so nothing is overwritten before it has moved), text, then put back.
  const shifts: number[] = [];
  let shift = extra;
  for (let i = runs.length - 1; i >= 0; i--) {
    const [start, end] = runs[i];
    const next = i + 1 < runs.length ? runs[i + 1][0] : buf.length;
    room.copyWithin(end + shift, end, next);
    shift -= escaped[i].length - (end - start);
    shifts[i] = shift;
    room.write(escaped[i], start + shift, "latin1");
  }
  try {
    return room.toString("latin1");
  } finally {
    runs.forEach(([start, end], i) => {
      const next = i + 1 < runs.length ? runs[i + 1][0] : buf.length;
      const moved = shifts[i] + escaped[i].length - (end - start);
      room.copyWithin(end, end + moved, next + moved);
      room.set(saved[i], start);
    });
  }
}

/** JSON.parse of UTF-8 bytes, or undefined when the fast path does not apply (use the decoded text). */
export function jsonParseFast(bytes: Uint8Array): unknown {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A byte-order mark, or a document that does not start with `{`: the ordinary path.
  if (buffer[0] !== 0x7b && !/^[\t\n\r ]*\{/.test(buffer.toString("latin1", 0, Math.min(64, buffer.length)))) return undefined;
  const text = escapedText(buffer, withRoom.has(bytes));
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
