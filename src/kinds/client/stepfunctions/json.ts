/**
 * JSON for the files under output/stepfunctions/. They are read by Terraform's `templatefile`
 * and by the CDK construct, so the only template syntax in them is picofun's own
 * `${name}` placeholders (whole string values). Anything from the spec that looks like
 * template syntax (`${`, `%{`) is written with a JSON escape (`\u0024{`, `\u0025{`): the same
 * string to every JSON parser, plain text to `templatefile`.
 */

import { INVISIBLE } from "../../../render/escape.js";

/** The invisible characters escape.ts escapes in literals, and the JavaScript line ends U+2028/U+2029. */
const INVISIBLE_ALL = new RegExp(String.raw`${INVISIBLE.source}|[\u2028\u2029]`, "g");
/** Anything escapeTemplateText changes. */
const TEMPLATE_TEXT = new RegExp(String.raw`[$%]\{|${INVISIBLE.source}|[\u2028\u2029]`);

/** A value written as the placeholder `"${name}"`. */
export class Placeholder {
  constructor(readonly name: string) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`invalid placeholder name ${name}`);
  }

  /** What JSON.stringify writes for it; `stepFunctionsJson` turns it into the placeholder. */
  toJSON(): string {
    return `${MARK}${this.name}`;
  }
}

export function placeholder(name: string): Placeholder {
  return new Placeholder(name);
}

// Placeholders go through JSON.stringify as a string no spec text can produce: it starts with a
// NUL (written `\u0000`) followed by a per-process random tag, and `"${` is escaped everywhere
// before the marks are put back as real placeholders.
const MARK = `\u0000${Math.random().toString(36).slice(2, 10)}:`;
const MARK_JSON = `\\u0000${MARK.slice(1)}`;
/** A placeholder is written `"` + MARK_JSON + name + `"`: MARK_NAME reads the name and the closing quote. */
const MARK_NAME = /([a-z][a-z0-9_]*)"/y;

/** Pretty JSON (two spaces, final newline) with placeholders as `"${name}"` and nothing else templatefile would read. */
export function stepFunctionsJson(value: unknown): string {
  return `${putPlaceholders(escapeTemplateText(JSON.stringify(value, null, 2)))}\n`;
}

/** One string as `stepFunctionsJson` writes it (quotes included), for text put together from pieces (jsonPieces.ts). */
export function escapeStepFunctionsString(value: string): string {
  return escapeTemplateText(JSON.stringify(value));
}

/** JSON text with `${`, `%{` and invisible characters written as JSON escapes (they only occur inside its strings). */
function escapeTemplateText(json: string): string {
  // One scan for all three (most text has none of them).
  if (!TEMPLATE_TEXT.test(json)) return json;
  let text = json;
  if (text.includes("${")) text = text.replace(/\$\{/g, "\\u0024{");
  if (text.includes("%{")) text = text.replace(/%\{/g, "\\u0025{");
  return text.replace(INVISIBLE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The marked placeholders back as `"${name}"`, found with indexOf (no regular expression over the whole text). */
function putPlaceholders(text: string): string {
  let at = text.indexOf(MARK_JSON);
  if (at < 0) return text;
  let out = "";
  let from = 0;
  while (at >= 0) {
    MARK_NAME.lastIndex = at + MARK_JSON.length;
    const m = text[at - 1] === '"' ? MARK_NAME.exec(text) : null;
    if (m) {
      out += `${text.slice(from, at - 1)}"\${${m[1]}}"`;
      from = MARK_NAME.lastIndex;
    }
    at = text.indexOf(MARK_JSON, m ? from : at + MARK_JSON.length);
  }
  return out + text.slice(from);
}

/** What the CDK construct (or any reader) does with a file: parse it and put values in for the placeholders. */
export function fillPlaceholders(text: string, values: Record<string, string>): unknown {
  const fill = (v: unknown): unknown => {
    if (typeof v === "string") {
      const m = /^\$\{([a-z][a-z0-9_]*)\}$/.exec(v);
      if (m && m[1] in values) return values[m[1]];
      return v;
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(JSON.parse(text));
}
