import fc from "fast-check";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { MAX_ANSWER_CHARS, MAX_LOG_LINE, parseMessage, readLines, readLogLines } from "../../src/local/protocol.js";
import { fromProxyResult } from "../../src/local/result.js";

function collect(chunks: Array<string | Buffer>): Promise<{ lines: string[]; overflow: boolean }> {
  const input = new PassThrough();
  const lines: string[] = [];
  let overflow = false;
  readLines(input, (l) => lines.push(l), () => (overflow = true));
  return new Promise((resolve) => {
    input.on("end", () => setImmediate(() => resolve({ lines, overflow })));
    for (const c of chunks) input.write(c);
    input.end();
  });
}

describe("the worker protocol's line reader", () => {
  it("gives the same lines however the bytes are cut into chunks (inside a UTF-8 sequence too)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: "binary", maxLength: 40 }).filter((s) => s.isWellFormed()).map((s) => s.replace(/\n/g, "")), { maxLength: 8 }), fc.array(fc.nat({ max: 400 }), { maxLength: 6 }), async (lines, cuts) => {
        const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(""));
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, i) => bytes.subarray(from, [...at, bytes.length][i])).filter((c) => c.length);
        const got = await collect(chunks);
        expect(got).toEqual({ lines, overflow: false });
      }),
      { numRuns: 200 },
    );
  });

  it("stops at a line longer than the bound (once) and reads nothing after it", async () => {
    const big = "x".repeat(1024 * 1024);
    const got = await collect(['{"ready": true}\n', ...Array.from({ length: Math.ceil(MAX_ANSWER_CHARS / big.length) + 1 }, () => big), "\n", '{"id": 1}\n']);
    expect(got).toEqual({ lines: ['{"ready": true}'], overflow: true });
  });
});

describe("what a worker prints", () => {
  const printed = (chunks: Array<string | Buffer>): Promise<string[]> => {
    const input = new PassThrough();
    const lines: string[] = [];
    readLogLines(input, (l) => lines.push(l));
    return new Promise((resolve) => {
      input.on("end", () => setImmediate(() => resolve(lines)));
      for (const c of chunks) input.write(c);
      input.end();
    });
  };

  it("comes in lines however it is cut (CRLF too), the last one without an end included", async () => {
    expect(await printed(["a\r\nb", "c\n", "", "\nd"])).toEqual(["a", "bc", "", "d"]);
  });

  it("a line that never ends is passed on in pieces of at most MAX_LOG_LINE, nothing lost", async () => {
    const piece = "y".repeat(64 * 1024);
    const chunks = Array.from({ length: 20 }, () => piece);
    const lines = await printed([...chunks, "\nafter\n"]);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(MAX_LOG_LINE);
    expect(lines.join("")).toBe(chunks.join("") + "after");
    expect(lines.at(-1)).toBe("after");
  });
});

describe("parseMessage", () => {
  it("reads answers and ready lines; anything else is garbage", () => {
    expect(parseMessage('{"ready": true, "executable": "/usr/bin/python3"}')).toEqual({ kind: "ready", executable: "/usr/bin/python3" });
    expect(parseMessage('{"id": 3, "ok": true}')).toEqual({ kind: "answer", id: 3, ok: true, result: null });
    expect(parseMessage('{"id": 3, "ok": false, "errorType": 5}')).toEqual({ kind: "answer", id: 3, ok: false, errorType: "5", errorMessage: "", stackTrace: [] });
    for (const line of ["", "NaN", '{"id": 1, "ok": true, "result": NaN}', "[]", "null", '{"id": "1", "ok": true}', '{"ok": true}', "garbage"]) {
      expect(parseMessage(line), line).toHaveProperty("garbage");
    }
  });
});

describe("fromProxyResult refuses what Node.js could not send", () => {
  it("header names and values, Content-Length, Transfer-Encoding, 1xx", () => {
    const bad = [
      { headers: { "a b": "v" } },
      { headers: { "": "v" } },
      { headers: { X: "a\r\nb" } },
      { headers: { X: "€" } },
      { multiValueHeaders: { X: ["ok", "\u0000"] } },
      { body: "abc", headers: { "Content-Length": "4" } },
      { body: "abc", headers: { "Transfer-Encoding": "chunked" } },
      { statusCode: 101 },
    ];
    for (const r of bad) expect(fromProxyResult({ statusCode: 200, ...r }), JSON.stringify(r)).toHaveProperty("problem");
    const good = fromProxyResult({ statusCode: 200, body: "é", headers: { "Content-Length": "2", "X-Latin": "café", __proto__: "x" } });
    expect(good).toMatchObject({ status: 200, headers: [["Content-Length", "2"], ["X-Latin", "café"]] });
    const proto = fromProxyResult(JSON.parse('{"statusCode": 200, "headers": {"__proto__": "p"}}'));
    expect(proto).toMatchObject({ headers: [["__proto__", "p"]] });
  });
});
