import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { TemplateSet } from "../../src/render/templates.js";

/** A template folder of the user's with the given templates. */
function userTemplates(files: Record<string, string>): TemplateSet {
  const dir = mkdtempSync(join(tmpdir(), "picofun-pass-through-"));
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  return new TemplateSet(dir);
}

/** What Handlebars itself renders (TemplateSet's options, its helpers irrelevant here). */
function handlebars(source: string, data: unknown): string {
  return Handlebars.create().compile(source, { noEscape: true, preventIndent: true })(data);
}

/** The text rendered, or that it failed (a helper such as each refuses some values). */
function outcome(render: () => string): { text: string } | { failed: true } {
  try {
    return { text: render() };
  } catch {
    return { failed: true };
  }
}

const value = fc.oneof(
  fc.string({ unit: fc.constantFrom("a", "{", "}", "$", "%", "\\", '"', "\n", "\u0000", "é", "\u{1f600}", " ") }),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(null, undefined, "", 0),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);

describe("a template that only passes one value through ({{{text}}})", () => {
  const sources = ["{{{text}}}", "{{{ text }}}", "{{{text}}}\n", "x{{{text}}}", "{{{text.length}}}", "{{{constructor}}}", "{{{each}}}"];
  const set = userTemplates(Object.fromEntries(sources.map((s, i) => [`t${i}.hbs`, s])));

  it("renders what Handlebars renders, for any data (strings, other types, missing, inherited names)", () => {
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), value, fc.boolean(), (i, v, own) => {
        const data = own ? { text: v, constructor: v, each: v } : Object.create({ text: v });
        expect(outcome(() => set.render(`t${i}.hbs`, data))).toEqual(outcome(() => handlebars(sources[i], data)));
      }),
      { numRuns: 2000 },
    );
  });

  it("renders a string value as the very same string (the bundled stepfunctions/task.json.hbs)", () => {
    const text = `{\n  "Type": "Task"\n}\n${"x".repeat(5000)}`;
    expect(new TemplateSet().render("stepfunctions/task.json.hbs", { text })).toBe(text);
    expect(set.render("t0.hbs", { text: 7 })).toBe("7");
    expect(set.render("t0.hbs", {})).toBe("");
  });
});
