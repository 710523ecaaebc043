import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_EVENT_BYTES, readEvent } from "../../src/invoke/eventInput.js";
import { UserError } from "../../src/util/errors.js";

function failure(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  return "";
}

describe("picofun invoke's event input (issue 28, lows)", () => {
  it("property: text that is not JSON gives one line that quotes none of it", () => {
    const dir = mkdtempSync(join(tmpdir(), "picofun-event-"));
    // A canary of letters no message uses, somewhere in hostile text (newlines, control and bidi characters).
    const canary = fc.stringMatching(/^[QXZ]{6,12}$/);
    const noise = fc.string({ maxLength: 40, unit: fc.constantFrom("\n", "\r", "\u0000", "\u202e", "\u2028", "{", '"', "}", ",", ":", "1", " ", "a", "\\", "[") });
    fc.assert(
      fc.property(noise, canary, noise, fc.boolean(), (before, secret, after, asFile) => {
        const text = `${before}${secret}${after}`;
        let ok = true;
        try {
          JSON.parse(text);
        } catch {
          ok = false;
        }
        fc.pre(!ok);
        const file = join(dir, "event.json");
        if (asFile) writeFileSync(file, text);
        const message = failure(() => (asFile ? readEvent({ eventFile: file }) : readEvent({ event: text })));
        expect(message).toMatch(/ is not JSON: /);
        expect(message).not.toContain(secret);
        expect(message).not.toMatch(/[\n\r\u2028\u202e\u0000]/);
      }),
      { numRuns: 1000 },
    );
  });

  it("an event file over Lambda's 6 MB, a folder or a missing file is one line", () => {
    const dir = mkdtempSync(join(tmpdir(), "picofun-event-"));
    const big = join(dir, "big.json");
    writeFileSync(big, `"${"x".repeat(MAX_EVENT_BYTES)}"`);
    expect(failure(() => readEvent({ eventFile: big }))).toMatch(/holds more than 6 MB/);
    expect(failure(() => readEvent({ eventFile: "/dev/zero" }))).toMatch(/holds more than 6 MB/);
    expect(failure(() => readEvent({ eventFile: dir }))).toMatch(/cannot read it: EISDIR/);
    expect(failure(() => readEvent({ eventFile: join(dir, "missing.json") }))).toMatch(/cannot read it: ENOENT/);
    writeFileSync(big, `"${"x".repeat(MAX_EVENT_BYTES - 2)}"`);
    expect(readEvent({ eventFile: big })).toHaveLength(MAX_EVENT_BYTES - 2);
  });
});
