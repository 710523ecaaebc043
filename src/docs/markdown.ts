/** Text safe inside a Markdown table cell: one line, no pipes, no HTML, no control characters. */
export function cell(text: string | undefined): string {
  return (text ?? "")
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/\s+/g, " ")
    .trim();
}

/** A code span for a table cell: backticks cannot close it early, pipes cannot split the cell. */
export function code(text: string): string {
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").replace(/\|/g, "\\|");
  const fence = safe.includes("`") ? "``" : "`";
  return `${fence}${fence.length > 1 ? " " : ""}${safe}${fence.length > 1 ? " " : ""}${fence}`;
}

/** A Mermaid node label: quotes and brackets that would end it are written as entities. */
export function mermaidLabel(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").replace(/"/g, "#quot;").replace(/[<>]/g, (c) => (c === "<" ? "#lt;" : "#gt;"));
}
