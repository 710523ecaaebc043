import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HTTP_METHODS, type Endpoint } from "../../src/model/types.js";
import { nameEndpoints } from "../../src/naming/functionName.js";
import { descriptionText, docText, docTextFull, jsString, pyDocstring, pyString } from "../../src/render/escape.js";
import { rootModuleText } from "../../src/wizard/rootModule.js";
import { randomString, rng, wellFormed } from "../support/random.js";
import fc from "fast-check";
import { cell, code, mermaidLabel } from "../../src/docs/markdown.js";
import { terminalSafe } from "../../src/util/terminalText.js";
import { BREAKERS } from "../support/hostileSpec.js";

const SEED = Number(process.env.PICOFUN_SEED ?? 20261121);
const TROJAN = /[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

describe(`escaping properties (seed ${SEED})`, () => {
  it("jsString: every literal evaluates to its input (lone surrogates aside) and a file of them passes node --check", () => {
    const next = rng(SEED);
    const inputs = Array.from({ length: 3000 }, () => randomString(next, 16));
    const literals = inputs.map(jsString);
    for (let i = 0; i < inputs.length; i++) {
      const lit = literals[i];
      expect(lit).not.toMatch(/[\n\r\u2028\u2029]/);
      expect(lit).not.toMatch(TROJAN);
      expect(new Function(`return ${lit};`)(), JSON.stringify(inputs[i])).toBe(wellFormed(inputs[i]));
    }
    const dir = mkdtempSync(join(tmpdir(), "picofun-js-"));
    const file = join(dir, "values.mjs");
    writeFileSync(file, `export const values = [\n${literals.map((l) => `  ${l},\n`).join("")}];\n`, "utf8");
    const r = spawnSync(process.execPath, ["--check", file], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  });

  it("pyString output is one line of printable, visible characters", () => {
    const next = rng(SEED + 3);
    for (let i = 0; i < 3000; i++) {
      const lit = pyString(randomString(next, 16));
      expect(lit).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      expect(lit).not.toMatch(TROJAN);
      expect(lit).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
  });

  it("pyString: plain text (the quick path) gives the literal the character-by-character path gives", () => {
    // A trailing NUL always takes the slow path and changes neither the quotes nor what comes before it.
    const slow = (s: string) => {
      const lit = pyString(`${s}\u0000`);
      return lit.slice(0, -5) + lit.slice(-1);
    };
    const next = rng(SEED + 5);
    const plain = "abcXYZ019 _-./{}?=&:,;()[]<>|!@#$%^*~`é€中😀";
    const inputs = [
      ...Array.from({ length: 2000 }, () => randomString(next, 16)),
      ...Array.from({ length: 2000 }, () => Array.from({ length: 1 + Math.floor(next() * 24) }, () => [...plain][Math.floor(next() * [...plain].length)]).join("")),
    ];
    let quick = 0;
    for (const s of inputs) {
      expect(pyString(s), JSON.stringify(s)).toBe(slow(s));
      if (pyString(s) === `"${s}"`) quick++;
    }
    expect(quick).toBeGreaterThan(1500);
  });

  it("docText: its quick path for plain one-line text gives what the full path gives", () => {
    const next = rng(SEED + 6);
    const plain = [..."abc XYZ 019 _-./{}?=&:,;()[]<>|!@#$%^*~`' \u00a0é€中"];
    const inputs = [
      ...Array.from({ length: 2000 }, () => randomString(next, 20)),
      ...Array.from({ length: 3000 }, () => Array.from({ length: Math.floor(next() * 60) }, () => plain[Math.floor(next() * plain.length)]).join("")),
    ];
    let quick = 0;
    for (const s of inputs) {
      for (const max of [5, 20, 400]) {
        expect(docText(s, max), `${JSON.stringify(s)} cut at ${max}`).toBe(s ? docTextFull(s, max) : "");
      }
      if (s && !/["\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/.test(s) && !TROJAN.test(s)) quick++;
    }
    expect(quick).toBeGreaterThan(2500);
  });

  it("docstrings never contain an unescaped quote, a lone backslash, a control or invisible character", () => {
    const next = rng(SEED + 4);
    for (let i = 0; i < 3000; i++) {
      const text = docText(randomString(next, 20));
      expect(text).not.toMatch(/(^|[^\\])(\\\\)*"/);
      expect(text).not.toMatch(/(^|[^\\])(\\\\)*\\[^\\"]/);
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
      expect(text).not.toMatch(TROJAN);
      const doc = pyDocstring(randomString(next, 6), randomString(next, 6));
      expect(doc.startsWith('"""') && doc.endsWith('"""') && doc.length > 6).toBe(true);
    }
  });
});

describe(`name properties (seed ${SEED})`, () => {
  function endpoint(method: (typeof HTTP_METHODS)[number], path: string): Endpoint {
    return { method, path, tags: [], deprecated: false, parameters: [], responses: [] };
  }

  it("function names match ^[A-Za-z0-9_]{1,64}$, carry the namespace and never collide (even ignoring case)", () => {
    const next = rng(SEED + 5);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
    for (let round = 0; round < 40; round++) {
      const nsLength = 1 + Math.floor(next() * 40);
      const namespace = `n${Array.from({ length: nsLength - 1 }, () => pick("abcXYZ019_-".split(""))).join("")}`;
      const seen = new Set<string>();
      const endpoints: Endpoint[] = [];
      const stems = ["/a-b", "/a.b", "/a_b", "/A_B", "/a/b", "/a b", "/a[b]", "/ä/b", "/"];
      for (let i = 0; i < 60; i++) {
        const r = next();
        let path: string;
        if (r < 0.3) path = pick(stems) + (next() < 0.5 ? "" : pick(stems));
        else if (r < 0.5) path = `/${"segment/".repeat(1 + Math.floor(next() * 20))}{id}`;
        else path = `/${randomString(next, 10)}`;
        const method = pick(HTTP_METHODS);
        const key = `${method} ${path}`;
        if (seen.has(key)) continue;
        seen.add(key);
        endpoints.push(endpoint(method, path));
      }
      const named = [...nameEndpoints(endpoints, namespace).values()];
      expect(named).toHaveLength(endpoints.length);
      const lower = new Set<string>();
      for (const n of named) {
        expect(n.functionName, JSON.stringify(n.endpoint.path)).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
        expect(n.functionName.startsWith(`${namespace}_`)).toBe(true);
        expect(n.module).toMatch(/^[a-z][A-Za-z0-9_]*$/);
        expect(`${namespace}_${n.module}`).toBe(n.functionName);
        lower.add(n.functionName.toLowerCase());
      }
      expect(lower.size).toBe(named.length);
      // Same names whatever the order of the document.
      const again = nameEndpoints([...endpoints].reverse(), namespace);
      for (const n of named) expect(again.get(n.endpoint)!.functionName).toBe(n.functionName);
    }
  });
});

describe("terminal and Markdown escapers (fast-check)", () => {
  const hostile = fc.string({ unit: fc.oneof(fc.constantFrom(...BREAKERS), fc.string({ unit: "binary", maxLength: 2 })), maxLength: 12 });
  const LINE_BREAK = /[\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/;

  it("terminalSafe: one line, no control, bidi, zero-width or lone surrogate; plain text unchanged", () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = terminalSafe(s);
        expect(out).not.toMatch(LINE_BREAK);
        expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        expect(out).not.toMatch(TROJAN);
        expect(out).toBe(wellFormed(out));
        if (!/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/.test(s) && s === wellFormed(s)) expect(out).toBe(s);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("cell, code and mermaidLabel: one line; cells hold no HTML and no unescaped pipe; code spans are closed by their own fence; labels hold no quote or %", () => {
    fc.assert(
      fc.property(hostile, (s) => {
        for (const out of [cell(s), code(s), mermaidLabel(s)]) {
          expect(out).not.toMatch(LINE_BREAK);
          expect(out).not.toMatch(TROJAN);
        }
        expect(cell(s)).not.toMatch(/[<>]|(^|[^\\])\|/);
        const span = code(s);
        const fence = /^`+/.exec(span)![0];
        expect(span.endsWith(fence)).toBe(true);
        // No run of backticks inside as long as the fence: nothing closes the span early.
        expect(span.slice(fence.length, -fence.length).split(/[^`]+/).every((run) => run.length < fence.length)).toBe(true);
        expect(span.slice(fence.length, -fence.length)).not.toMatch(/(^|[^\\])\|/);
        expect(mermaidLabel(s)).not.toMatch(/["<>%]/);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

describe("one-line texts outside source code (fast-check)", () => {
  const hostile = fc.string({ unit: fc.oneof(fc.constantFrom(...BREAKERS), fc.string({ unit: "binary", maxLength: 2 })), maxLength: 120 });

  it("descriptionText (Lambda descriptions, both kinds): one line, no control character, well-formed, at most 256 code points", () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 0, max: 300 }), (s, pad) => {
        const out = descriptionText(`${"x".repeat(pad)}${s}`);
        expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        expect(out).toBe(wellFormed(out));
        expect(Array.from(out).length).toBeLessThanOrEqual(256);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("the wizard's root module writes its module source as an HCL string: a folder named ${...} is not interpolated", () => {
    const a = { namespace: "ns", projectDir: "/p", outputDir: "/p/out${file(\"/etc/passwd\")}%{ if x }" } as unknown as Parameters<typeof rootModuleText>[0];
    const text = rootModuleText(a, []);
    expect(text).toContain('source = "./out$${file(\\"/etc/passwd\\")}%%{ if x }"');
  });
});
