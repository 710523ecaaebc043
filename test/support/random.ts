/** A small seeded generator (mulberry32) so property tests are random but reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fragments that break naive escaping in Python, HCL, JSON, JavaScript and YAML. */
const NASTY = [
  '"', "'", "\\", '"""', "'''", "${", "%{", "$${", "%%{", "}", "{", "\n", "\r", "\r\n", "\t", "\0", "\x07", "\x1b[31m", "\x7f", "\x85",
  "\u2028", "\u2029", "\ufeff", "\\x00", "\\u0000", "\\N{BULLET}", "#", "`", "*/", "</script>", "{{", "}}", "{{{", ": ", "- ", "&a", "*a",
  "__import__('os')", "\ud83d\ude00", "\ud800", "\udfff", "é", "e\u0301", "ß", "İ", "ﬁ", "中文", "🏳️‍🌈", "\u202e", " ", "  ",
];

/** A random string mixing nasty fragments, ASCII, BMP and astral code points (and lone surrogates). */
export function randomString(next: () => number, maxParts = 12): string {
  const parts = Math.floor(next() * (maxParts + 1));
  let out = "";
  for (let i = 0; i < parts; i++) {
    const r = next();
    if (r < 0.4) out += NASTY[Math.floor(next() * NASTY.length)];
    else if (r < 0.65) out += String.fromCharCode(0x20 + Math.floor(next() * 0x5f));
    else if (r < 0.8) out += String.fromCharCode(Math.floor(next() * 0x20));
    else if (r < 0.95) out += String.fromCharCode(0xa0 + Math.floor(next() * (0xd7ff - 0xa0)));
    else out += String.fromCodePoint(0x10000 + Math.floor(next() * 0xfffff));
  }
  return out;
}

/** Lone surrogates replaced by U+FFFD: what a UTF-8 file can hold. */
export function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}
