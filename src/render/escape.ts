/**
 * Everything taken from a spec lands in generated code through these functions, so a
 * summary, path or name is always data in the target language, never code.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Invisible characters that can make source read differently from what it does
 * ("Trojan Source": bidirectional overrides and isolates, marks, zero-width spaces, BOM).
 * Literals carry them as escapes; docstrings drop them.
 */
export const INVISIBLE = /[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
export const INVISIBLE_ALL = new RegExp(INVISIBLE.source, "g");

function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE_ALL, (c) => `\\u${hex(c, 4)}`);
}

function hex(c: string, width: number): string {
  return c.charCodeAt(0).toString(16).padStart(width, "0");
}

/**
 * The characters that make pyString and docText do more than quote, cut or trim: controls and
 * line breaks, the double quote (pyString then chooses its quotes by count; without one they are
 * double and a single quote needs no escape), backslashes, surrogates (the slow paths keep the
 * valid pairs) and invisible characters. Most names, paths and summaries have none of them.
 */
const NOT_PLAIN = new RegExp(String.raw`["\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]|` + INVISIBLE.source);

/** A Python string literal; quotes chosen the way ruff's formatter prefers them. */
export function pyString(value: string): string {
  if (!NOT_PLAIN.test(value)) return `"${value}"`;
  const doubles = (value.match(/"/g) ?? []).length;
  const singles = (value.match(/'/g) ?? []).length;
  const quote = doubles > singles ? "'" : '"';
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + value[i + 1];
        i++;
        continue;
      }
    }
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${hex(ch, 2)}`;
    else if (code === 0x2028 || code === 0x2029 || code === 0x85 || (code >= 0xd800 && code <= 0xdfff) || INVISIBLE.test(ch)) {
      out += `\\u${hex(ch, 4)}`;
    }
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** `None` for undefined/null, else a Python string literal. */
export function pyOptional(value: string | undefined | null): string {
  return value === undefined || value === null ? "None" : pyString(value);
}

/** Plain text made safe for a docstring body: no control characters, no closing quotes, no escapes. */
export function docText(value: string | undefined, maxLength = 400): string {
  if (!value) return "";
  // One line with nothing to replace (most summaries): what the full path below leaves of it.
  if (!NOT_PLAIN.test(value)) return (value.length > maxLength ? `${value.slice(0, maxLength).trimEnd()}...` : value).trim();
  return docTextFull(value, maxLength);
}

/** docText without its quick path (exported for the test that compares the two). */
export function docTextFull(value: string, maxLength: number): string {
  let text = value
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, "    ")
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u0085]/g, " ")
    .replace(INVISIBLE_ALL, "")
    .replace(LONE_SURROGATE, "?");
  if (text.length > maxLength) text = `${text.slice(0, maxLength).trimEnd()}...`;
  const lines = text.split("\n").map((l) => l.trimEnd());
  // Common indentation goes, as the formatter would remove it.
  const indents = lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => l.slice(common))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"');
}

/** One line of comment text (Python `#`, JS `//` or block comments): no line breaks, no control or invisible characters. */
export function commentText(value: string | undefined, maxLength = 200): string {
  if (!value) return "";
  const text = value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u0085]/g, " ")
    .replace(INVISIBLE_ALL, "")
    .replace(LONE_SURROGATE, "?")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}

/**
 * A description for AWS (a Lambda function's): one line, each run of whitespace or control
 * characters one space, lone surrogates U+FFFD, at most `max` code points (cut between them).
 */
export function descriptionText(value: string, max = 256): string {
  const text = value.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, " ").replace(LONE_SURROGATE, "\ufffd");
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length > max ? `${points.slice(0, max - 3).join("")}...` : text;
}

/** A complete module docstring from a title line and optional paragraphs. */
export function pyDocstring(title: string, ...paragraphs: Array<string | undefined>): string {
  const body = paragraphs.map((p) => docText(p)).filter(Boolean);
  // An empty docstring is a lint error: fall back to the first paragraph, then to a fixed line.
  const head = docText(title, 200).replace(/\n+/g, " ") || body.shift()?.replace(/\n+/g, " ") || "Generated by picofun.";
  if (!body.length) return `"""${head}"""`;
  return `"""${head}\n\n${body.join("\n\n")}\n"""`;
}

const PLAIN_HCL = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** An HCL (and Terraform template) string literal: `${` and `%{` cannot start an interpolation. */
export function hclString(value: string): string {
  // Printable ASCII without `"` or `\`: nothing to escape but the template markers (most names and URLs).
  if (PLAIN_HCL.test(value)) return `"${escapeTemplateMarkers(value)}"`;
  let out = "";
  for (const ch of value.replace(LONE_SURROGATE, "\ufffd")) {
    switch (ch) {
      case "\\":
        out += "\\\\";
        break;
      case '"':
        out += '\\"';
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      default: {
        const code = ch.charCodeAt(0);
        const escaped = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || INVISIBLE.test(ch);
        out += ch.length === 1 && escaped ? `\\u${hex(ch, 4)}` : ch;
      }
    }
  }
  return `"${escapeTemplateMarkers(out)}"`;
}

/** Terraform reads `${` and `%{` in strings (also in .tf.json) as template syntax: double the marker. */
export function escapeTemplateMarkers(text: string): string {
  // (Called for every HCL string: most have no brace at all.)
  if (!text.includes("{")) return text;
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** An HCL literal for a string, number, bool, null, list or map. */
export function hclValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return hclString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(hclValue).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!entries.length) return "{}";
  return `{ ${entries.map(([k, v]) => `${hclString(k)} = ${hclValue(v)}`).join(", ")} }`;
}

/** JSON for .tf.json files: Terraform interprets template markers there too. */
export function terraformJson(value: unknown): string {
  // In JSON these characters can only occur inside strings, where \uXXXX means the same.
  return escapeInvisible(escapeTemplateMarkers(JSON.stringify(value, null, 2))) + "\n";
}

/** A JavaScript string literal (JSON is valid JS; U+2028/9 are escaped too). */
export function jsString(value: string): string {
  return escapeInvisible(JSON.stringify(value.replace(LONE_SURROGATE, "\ufffd")).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029"));
}
