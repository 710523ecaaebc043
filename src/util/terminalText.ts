/**
 * Text from a spec or a file name can hold characters that a terminal acts on: ESC (colours,
 * cursor moves, window titles), CR (overwrites the line), LF and the other line breaks (a title
 * could print a fake "Next:" step of its own), BEL, and the bidi and zero-width marks that make
 * text read differently from what it is. Before such text is printed, each of them is shown as
 * a visible `\uXXXX` escape instead, so one printed item stays on its line.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escaped).replace(LONE_SURROGATE, escaped);
}

function escaped(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
