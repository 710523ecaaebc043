/**
 * Text from a spec or a file name can hold control characters that a terminal acts on: ESC
 * (colours, cursor moves, window titles), CR (overwrites the line), BEL, and the bidi and
 * zero-width marks that make text read differently from what it is. Before such text is
 * printed, each of them is shown as a visible `\uXXXX` escape instead.
 */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

export function terminalSafe(text: string, keepNewlines = false): string {
  return text.replace(UNSAFE, (ch) => (ch === "\n" && keepNewlines ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`));
}
