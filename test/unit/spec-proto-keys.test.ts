import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSpecText } from "../../src/spec/parse.js";
import { specSource } from "../../src/spec/read.js";
import { UserError } from "../../src/util/errors.js";

const parse = (text: string) => parseSpecText(specSource("spec", false, Buffer.from(text)));
const refusal = async (text: string): Promise<string | undefined> => {
  try {
    await parse(text);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
};

describe("a key named __proto__ in the spec", () => {
  it("is refused with its pointer, in JSON and YAML, written plainly or with escapes", async () => {
    expect(await refusal('{"openapi":"3.0.3","paths":{"/a":{"get":{"responses":{"__proto__":{}}}}}}')).toBe(
      'spec: a key named "__proto__" (#/paths/~1a/get/responses/__proto__) is not supported (JavaScript reads that name as an object\'s prototype, not as a key); rename it',
    );
    expect(await refusal('{"openapi":"3.0.3","x":[{"\\u005f_pr\\u006Fto__":1}]}')).toMatch(/\(#\/x\/0\/__proto__\)/);
    expect(await refusal("openapi: 3.0.3\ncomponents:\n  schemas:\n    __proto__:\n      type: string\n")).toMatch(/\(#\/components\/schemas\/__proto__\)/);
    expect(await refusal('openapi: 3.0.3\nx:\n  "\\x5f_proto\\U0000005f_": 1\n')).toMatch(/\(#\/x\/__proto__\)/);
  });

  it("in a value, or a key named constructor or toString, is fine", async () => {
    expect(await refusal('{"openapi":"3.0.3","info":{"title":"__proto__","description":"\\u005f_proto__"},"x":{"constructor":{"toString":1}}}')).toBeUndefined();
    expect(await refusal("openapi: 3.0.3\ninfo:\n  title: __proto__\nx:\n  constructor: 1\n")).toBeUndefined();
  });

  it("property: a document is refused exactly when one of its keys is __proto__, however its characters are escaped", async () => {
    const escape = (ch: string, how: number) => (how === 0 ? ch : how === 1 ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}` : `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`);
    const keyText = fc
      .tuple(fc.constantFrom("__proto__", "constructor", "toString", "a", "__proto_", "_proto__", "__PROTO__"), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 9, maxLength: 9 }))
      .map(([key, hows]) => ({ key, text: `"${[...key].map((ch, i) => escape(ch, hows[i] ?? 0)).join("")}"` }));
    type Tree = { text: string; proto: boolean };
    const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom<Tree>({ text: "1", proto: false }, { text: '"__proto__"', proto: false }, { text: "null", proto: false }),
        fc.array(tie("tree"), { maxLength: 3 }).map((items) => ({ text: `[${items.map((i) => i.text).join(",")}]`, proto: items.some((i) => i.proto) })),
        fc.uniqueArray(fc.tuple(keyText, tie("tree")), { maxLength: 3, selector: ([k]) => k.key }).map((entries) => ({
          text: `{${entries.map(([k, v]) => `${k.text}:${v.text}`).join(",")}}`,
          proto: entries.some(([k, v]) => k.key === "__proto__" || v.proto),
        })),
      ),
    }));
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        const text = `{"openapi":"3.0.3","x":${t.text}}`;
        const message = await refusal(text);
        expect(message !== undefined, text).toBe(t.proto);
        if (message) expect(message).toMatch(/^spec: a key named "__proto__" \(#\/x(\/[^ ]*)?\/__proto__\) is not supported/);
      }),
      { numRuns: 400 },
    );
  });
});
