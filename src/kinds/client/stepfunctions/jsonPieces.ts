/**
 * Long JSON string values put together from pieces escaped ahead of time, as `stepFunctionsJson`
 * writes them. A piece many values share (`Shared`, e.g. a JSONata helper block) is escaped
 * once however many files carry it: GitHub's 1,221 HTTP Task files are 5 MB of JSON that repeat
 * the same few expressions, and escaping them file by file was most of what those files cost.
 *
 * JSON escapes characters one by one, and picofun's own escapes (`${`, `%{`, invisible
 * characters) can only differ at a piece's edge when a piece ends with `$`, `%` or the first
 * half of a surrogate pair: such a value is escaped whole.
 */
import { escapeStepFunctionsString } from "./json.js";

/** A piece escaped once (its JSON text without the quotes), for pieces many values share. */
export class Shared {
  readonly json: string;
  constructor(readonly text: string) {
    this.json = escapeStepFunctionsString(text).slice(1, -1);
  }
}

export type Piece = string | Shared;

/** A string value given as pieces. */
export class Spliced {
  constructor(readonly pieces: readonly Piece[]) {}

  /** The string itself (joined with `+`: V8 keeps it as a rope until something reads it). */
  text(): string {
    let out = "";
    for (let i = 0; i < this.pieces.length; i++) {
      const p = this.pieces[i];
      out += typeof p === "string" ? p : p.text;
    }
    return out;
  }
}

/** Adds the JSON string (quotes included) of a Spliced to `out`, as `stepFunctionsJson` writes it. */
export function pushSplicedJson(out: string[], s: Spliced): void {
  const start = out.length;
  out.push('"');
  let prev = "";
  // (Indexed loops: these run once per piece of every file, mostly before the JIT optimises them.)
  for (let i = 0; i < s.pieces.length; i++) {
    const p = s.pieces[i];
    const text = typeof p === "string" ? p : p.text;
    if (!text) continue;
    if (risky(prev, text)) {
      out.length = start;
      out.push(escapeStepFunctionsString(s.text()));
      return;
    }
    out.push(typeof p === "string" ? escapedPiece(p) : p.json);
    prev = text;
  }
  out.push('"');
}

/** Escaped short pieces: the text between shared pieces repeats too (`) & "/" & ($v := $lookup($states.input.path, "repo"); `). */
const ESCAPED = new Map<string, string>();

function escapedPiece(text: string): string {
  let json = ESCAPED.get(text);
  if (json === undefined) {
    json = escapeStepFunctionsString(text).slice(1, -1);
    if (ESCAPED.size < 50_000) ESCAPED.set(text, json);
  }
  return json;
}

/** Whether escaping `a` and `b` apart may differ from escaping them together. */
export function risky(a: string, b: string): boolean {
  if (!a) return false;
  const last = a.charCodeAt(a.length - 1);
  return ((last === 0x24 || last === 0x25) && b.charCodeAt(0) === 0x7b) || (last >= 0xd800 && last <= 0xdbff);
}
