import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { buildModel } from "../../src/model/build.js";
import type { Endpoint, Parameter } from "../../src/model/types.js";
import { nameEndpoints } from "../../src/naming/functionName.js";
import type { LoadedSpec } from "../../src/spec/load.js";
import { buildHttpTasks } from "../../src/kinds/client/stepfunctions/http/model.js";
import { blockJson, blockPieces } from "../../src/kinds/client/stepfunctions/http/jsonata.js";
import { httpTask } from "../../src/kinds/client/stepfunctions/http/task.js";
import { escapeStepFunctionsString, stepFunctionsJson } from "../../src/kinds/client/stepfunctions/json.js";
import { pushSplicedJson, Shared, Spliced } from "../../src/kinds/client/stepfunctions/jsonPieces.js";
import { REPO } from "../support/env.js";

const RETRY = { maxAttempts: 3, statuses: [408, 429, 500, 502, 503, 504], methods: ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"], base: 0.5, cap: 10 };

// Everything that escapes differently, or could across two pieces: template syntax, quotes,
// controls, invisible characters, line separators, each half of a surrogate pair.
const unit = fc.oneof(
  fc.constantFrom(..."$%{}\"\\'`\n\t\u0000\u001f\u007f\u200b\u202e\u2028\u2029\ufeff\ud83d\ude00é&=?#[]();:., _-aZ0"),
  fc.constantFrom("${", "%{", "$e", "$t", "$P", "$P1", "$F0", "$D1", "$N", "$Q", "$O(", "$H(", "\u{1f600}"),
);
const hostile = fc.string({ unit, maxLength: 12 });

function textOf(pieces: Array<string | Shared>): string {
  const out: string[] = [];
  pushSplicedJson(out, new Spliced(pieces));
  return out.join("");
}

describe("HTTP Task files written from pieces (property-based)", () => {
  it("a string in pieces, some shared, is written as stepFunctionsJson writes the whole string", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(hostile, fc.boolean()), { maxLength: 8 }), (parts) => {
        const pieces = parts.map(([text, shared]) => (shared ? new Shared(text) : text));
        const whole = parts.map(([text]) => text).join("");
        expect(textOf(pieces)).toBe(escapeStepFunctionsString(whole));
        expect(new Spliced(pieces).text()).toBe(whole);
      }),
      { numRuns: 2000 },
    );
  });

  it("blockJson writes a block of a text and a shared tail as its pieces are written, on hostile texts", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (a, b, tail) => {
        // Texts that end in a helper's name or in half a pair, start with a brace, or are empty: the shortcut must not differ there either.
        const text = a + b;
        const shared = new Shared(tail);
        const expected = escapeStepFunctionsString(new Spliced(blockPieces([], [text, shared])).text());
        expect(blockJson(text, shared)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
    // The shortcut's own case: a URL's text, then the shared query string.
    const url = '"https://h.example/a/"&$P("id")&';
    expect(blockJson(url, new Shared('$Q([],[])'))).toBe(escapeStepFunctionsString(new Spliced(blockPieces([], [url, new Shared('$Q([],[])')])).text()));
  });

  it("a block binds exactly the helpers its text names and the ones those use, whatever the pieces", () => {
    const code = (name: string, block: string) => new RegExp(String.raw`\$${name}:=function`).test(block);
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(hostile, fc.boolean()), { maxLength: 4 }), { maxLength: 3 }), fc.array(fc.tuple(hostile, fc.boolean()), { maxLength: 4 }), (bindings, body) => {
        const asPieces = (parts: Array<[string, boolean]>) => parts.map(([t, s]) => (s ? new Shared(t) : t));
        const text = new Spliced(blockPieces(bindings.map(asPieces), asPieces(body))).text();
        const own = [...bindings.map((b) => b.map(([t]) => t).join("")), body.map(([t]) => t).join("")].join(";");
        expect(text.startsWith("{% (")).toBe(true);
        expect(text.endsWith(`${own}) %}`)).toBe(true);
        const helpers = text.slice(4, text.length - own.length - 3);
        // Each helper the text names is bound (and, by the closure, each one a bound helper uses).
        for (const name of ["t", "e", "H", "I", "O", "L", "P", "P1", "N", "F", "F0", "S1", "S0", "B1", "B0", "D1", "D0", "Q"]) {
          const named = new RegExp(String.raw`\$${name}\b`).test(own);
          if (named) expect(code(name, helpers), `$${name} in ${JSON.stringify(own)}`).toBe(true);
        }
        // Nothing bound that neither the text nor another bound helper names.
        for (const [, name] of helpers.matchAll(/\$(\w+):=function/g)) {
          const rest = own + helpers.replace(new RegExp(String.raw`\$${name}:=function`), "");
          expect(new RegExp(String.raw`\$${name}\b`).test(rest), `$${name} bound for nothing in ${JSON.stringify(own)}`).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("each task's file is stepFunctionsJson of its state, for generated hostile endpoints", () => {
    const name = hostile.filter((n) => n.length > 0 && !/[{}]/.test(n));
    const styles = fc.constantFrom("form", "pipeDelimited", "spaceDelimited", "deepObject");
    fc.assert(
      fc.property(
        fc.record({
          segments: fc.array(fc.oneof(hostile.filter((s) => !/[{}]/.test(s)), name.map((n) => `{${n}}`)), { minLength: 1, maxLength: 4 }),
          queries: fc.array(fc.record({ name, style: styles, explode: fc.option(fc.boolean(), { nil: undefined }) }), { maxLength: 3 }),
          headers: fc.array(fc.record({ name, explode: fc.boolean() }), { maxLength: 2 }),
          summary: fc.option(hostile, { nil: undefined }),
          method: fc.constantFrom("get", "post", "put", "delete", "patch"),
          body: fc.constantFrom(undefined, "json", "form"),
          server: fc.constantFrom("https://h.example/v1/", "https://h.example/$", "https://h.example/%"),
        }),
        (s) => {
          const path = `/${s.segments.join("/")}`;
          const parameters: Parameter[] = [
            ...[...path.matchAll(/\{([^}]*)\}/g)].map((m) => ({ name: m[1], in: "path" as const, required: true, allowReserved: false, deprecated: false })),
            ...s.queries.map((q) => ({ name: q.name, in: "query" as const, required: false, allowReserved: false, deprecated: false, style: q.style, explode: q.explode })),
            ...s.headers.map((h) => ({ name: h.name, in: "header" as const, required: false, allowReserved: false, deprecated: false, explode: h.explode })),
          ];
          const contentType = s.body === "form" ? "application/x-www-form-urlencoded" : "application/json";
          const e: Endpoint = {
            method: s.method,
            path,
            summary: s.summary,
            tags: [],
            deprecated: false,
            parameters,
            responses: [],
            requestBody: s.body ? { contentType, contentTypes: [contentType], required: true } : undefined,
          };
          const task = httpTask({ endpoint: e, functionName: "t_f", module: "f" } as never, s.server, s.body as "json" | "form" | undefined, RETRY);
          expect(task.text).toBe(stepFunctionsJson(task.state));
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe("GitHub's HTTP Task files", () => {
  it("every one is stepFunctionsJson of its state", () => {
    const spec = join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");
    const dir = mkdtempSync(join(tmpdir(), "picofun-http-text-"));
    writeFileSync(join(dir, "picofun.toml"), `spec = "${spec}"\nnamespace = "github"\n[stepfunctions]\nhttp_tasks = true\n`);
    const doc = JSON.parse(readFileSync(spec, "utf8")) as Record<string, unknown>;
    const loaded: LoadedSpec = { doc, source: { location: spec, isUrl: false, text: "", bytes: new Uint8Array() }, version: "3.0", warnings: [] };
    const model = buildModel(loaded);
    const m = buildHttpTasks(model, [...nameEndpoints(model.endpoints, "github").values()], loadConfig({}, dir));
    expect(m.tasks.length).toBeGreaterThan(1000);
    const differ = m.tasks.filter((t) => t.text !== stepFunctionsJson(t.state)).map((t) => t.functionName);
    expect(differ).toEqual([]);
  }, 60_000);
});
