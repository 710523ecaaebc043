import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { deflateRaw } from "../../src/package/deflate.js";
import { buildZip } from "../../src/package/zip.js";

/** Reads a zip through its central directory (as unzip does) and checks each entry's CRC. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(crc32(data) >>> 0, name).toBe(crc);
    out.set(name, data);
    at += 46 + nameLength;
  }
  return out;
}

describe("buildZip", () => {
  it("stores files of every size so that they unzip to the same bytes, whatever the deflate window", () => {
    let seed = 7;
    const noise = (n: number) => Buffer.from(Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256));
    const text = (n: number) => Buffer.from("def handler(event, context):\n    return event\n".repeat(Math.ceil(n / 47)).slice(0, n));
    const entries = [0, 1, 200, 250, 262, 263, 4096, 33_000, 70_000, 300_000].flatMap((n) => [
      { name: `text/${n}.py`, data: text(n) },
      { name: `noise/${n}.bin`, data: noise(n) },
    ]);
    const zip = buildZip(entries);
    const back = unzip(zip);
    expect(back.size).toBe(entries.length);
    for (const e of entries) expect(back.get(e.name)?.equals(Buffer.from(e.data)), e.name).toBe(true);
    // Compressible text is compressed; the same input gives the same bytes.
    expect(zip.length).toBeLessThan(entries.reduce((n, e) => n + e.data.length, 0));
    expect(buildZip([...entries].reverse()).equals(zip)).toBe(true);
  });

  it("deflates with reused zlib handles exactly as deflateRawSync does, input after input, window after window", () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const words = ["def ", "return ", "event", "(", ")", ":\n", "    ", "picorun.", "headers", "_", "query", "{", "}", "\"", "x"];
    const sample = (n: number, binary: boolean) =>
      binary ? Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))) : Buffer.from(Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join("").slice(0, n));
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      // Sizes around the window steps, the 32 KB limit of the reused path, and past it.
      const size = [0, 1, 250, 262, 263, 774, 775, 1800, 4000, 16_000, 32_768, 32_769, 40_000][i % 13] + (i % 3);
      const data = sample(size, i % 5 === 4);
      for (const [windowBits, memLevel] of [[9, 4], [11, 4], [12, 5], [15, 8]]) {
        const ours = deflateRaw(data, windowBits, memLevel);
        expect(ours.equals(deflateRawSync(data, { windowBits, memLevel })), `${size} bytes, window ${windowBits}`).toBe(true);
        expect(inflateRawSync(ours).equals(data)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(1600);
  });
});
