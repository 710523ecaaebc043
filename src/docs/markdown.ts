/**
 * Spec text in the README: table cells, code spans and Mermaid labels. Each stays one line of
 * text in its place; none can add HTML, end its cell, span or label, or reach Mermaid's syntax.
 */

/** Controls, line and paragraph separators, bidi and zero-width characters: shown as one space. */
const NOT_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function plain(text: string): string {
  return text.replace(NOT_TEXT, " ").replace(LONE_SURROGATE, "\ufffd");
}

/** Text safe inside a Markdown table cell: one line, no pipes, no HTML, no control characters. */
export function cell(text: string | undefined): string {
  return plain(text ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/\s+/g, " ")
    .trim();
}

/** A code span for a table cell: its fence is longer than any run of backticks inside, pipes cannot split the cell. */
export function code(text: string): string {
  const safe = plain(text).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(safe.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  // A space each side keeps a backtick at either end from joining the fence (CommonMark strips one each side).
  const pad = longest > 0 ? " " : "";
  return `${fence}${pad}${safe}${pad}${fence}`;
}

/**
 * A Mermaid node label (inside `"..."`): quotes and brackets that would end it, and `%` (Mermaid
 * reads `%%` as a comment or a `%%{init}%%` directive anywhere), are written as Mermaid entities.
 */
export function mermaidLabel(text: string): string {
  return plain(text).replace(/["<>%]/g, (c) => MERMAID_ENTITY[c]);
}

const MERMAID_ENTITY: Record<string, string> = { '"': "#quot;", "<": "#lt;", ">": "#gt;", "%": "#37;" };
