import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { copyWithSlack, jsonParseFast, SLACK } from "../../src/spec/jsonText.js";
import { readSpecSource } from "../../src/spec/read.js";
import { REPO } from "../support/env.js";

const bytes = (s: string | Buffer) => (typeof s === "string" ? Buffer.from(s, "utf8") : s);

/** What the ordinary path gives: JSON.parse of the UTF-8 text, or "invalid". */
function ordinary(b: Buffer): unknown {
  try {
    return JSON.parse(b.toString("utf8"));
  } catch {
    return "invalid";
  }
}

describe("jsonParseFast", () => {
  it("parses non-ASCII text exactly as the decoded document does", () => {
    const doc = { info: { title: "Café ☕ 𝄞 日本語 \u202e", "clé": ["é", "a\\é", "\\\\é", "\u2028"] }, x: 1 };
    for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2), `  \n${JSON.stringify(doc)}`]) {
      expect(jsonParseFast(bytes(text))).toEqual(doc);
      // Escaped in place (bytes with room behind them), and the bytes put back as they were.
      const owned = copyWithSlack(bytes(text));
      const before = Buffer.from(owned);
      expect(jsonParseFast(owned)).toEqual(doc);
      expect(owned.equals(before)).toBe(true);
    }
  });

  it("gives up where the escape would change the meaning or the document is not plain JSON", () => {
    expect(jsonParseFast(bytes('{"a": "\\é"}'))).toBeUndefined(); // invalid JSON: an escaped é
    expect(jsonParseFast(bytes('{"a": 1, é: 2}'))).toBeUndefined(); // non-ASCII outside a string
    expect(jsonParseFast(bytes('\uFEFF{"a": 1}'))).toBeUndefined(); // BOM: the ordinary path strips it
    expect(jsonParseFast(bytes("openapi: 3.0.0\n"))).toBeUndefined(); // YAML
    expect(jsonParseFast(bytes('{"a": '))).toBeUndefined();
  });

  it("agrees with the ordinary path on random documents, invalid UTF-8 included", () => {
    const alphabet = ['"', "\\", "a", "é", "€", "😀", " ", ":", ",", "{", "}", "[", "]", "1", "u", "0"];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const parts: string[] = [];
      for (let j = rand(12); j >= 0; j--) parts.push(alphabet[rand(alphabet.length)]);
      const valid = i % 2 === 0 ? JSON.stringify({ k: parts.join("") }) : `{"k": "${parts.join("")}"}`;
      let b = bytes(valid);
      if (i % 7 === 0) b = Buffer.concat([b.subarray(0, 6), Buffer.from([0xc3, 0xff, 0x80]), b.subarray(6)]);
      const fast = jsonParseFast(b);
      const slow = ordinary(b);
      const owned = copyWithSlack(b);
      expect(jsonParseFast(owned)).toEqual(fast);
      expect(owned.equals(b)).toBe(true);
      if (fast === undefined) continue; // the ordinary path decides
      expect(fast).toEqual(slow);
    }
  });

  it("escapes in place only within its own room, and gives the same document either way", async () => {
    // More escapes than the room holds: the copy path; runs at the very start and end of strings.
    const many = JSON.stringify({ a: "é".repeat(SLACK), b: ["€x", "x€", "😀"], c: "\\é" });
    const owned = copyWithSlack(bytes(many));
    expect(jsonParseFast(owned)).toEqual(JSON.parse(many));
    expect(owned.toString("utf8")).toBe(many);
    // A spec file read from disk has the room; GitHub's is escaped in place and equals the decoded parse.
    const file = join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");
    const source = await readSpecSource(file);
    const raw = readFileSync(file);
    expect(jsonParseFast(source.bytes)).toEqual(JSON.parse(raw.toString("utf8")));
    expect(Buffer.from(source.bytes).equals(raw)).toBe(true);
  });
});
