import { DeflateRaw, constants, deflateRawSync } from "node:zlib";

/**
 * Raw deflate for many small inputs (a GitHub-sized plan zips 1,200 handlers of 1-2 KB).
 *
 * `deflateRawSync` builds a new zlib stream object for each call, sets zlib up, allocates a
 * 16 KB output chunk and tears it all down again. Cold, in a fresh process, that cost 115 ms and
 * 6,000 page faults for GitHub's handlers; reusing one zlib handle per window size, cleared
 * between inputs (see `clear`), cost 49 ms and 450 faults, with the same bytes out.
 *
 * The reuse goes through the stream's native handle (`_handle.writeSync`, `_handle.reset`,
 * `_writeState`), which Node's own `deflateRawSync` drives the same way but does not document.
 * Anything unexpected (a Node without those members, an input too big for the shared output
 * buffer, output that did not fit) takes the public `deflateRawSync` instead.
 */

interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
}

interface Engine {
  handle: NativeHandle;
  /** [available output, available input] after the last write, as zlib leaves them. */
  state: Uint32Array;
  used: boolean;
}

/** Inputs up to this size always fit the shared output buffer (deflate's worst case adds a few bytes per 16 KB). */
const SMALL = 32 * 1024;
const OUT = Buffer.allocUnsafe(64 * 1024);
const engines = new Map<string, Engine | null>();

function engineFor(windowBits: number, memLevel: number): Engine | null {
  const key = `${windowBits}/${memLevel}`;
  let engine = engines.get(key);
  if (engine === undefined) {
    engine = null;
    const stream = new DeflateRaw({ windowBits, memLevel }) as unknown as { _handle?: Partial<NativeHandle>; _writeState?: unknown };
    const handle = stream._handle;
    if (handle && typeof handle.writeSync === "function" && typeof handle.reset === "function" && stream._writeState instanceof Uint32Array) {
      engine = { handle: handle as NativeHandle, state: stream._writeState, used: false };
    }
    engines.set(key, engine);
  }
  return engine;
}

const ZEROS = Buffer.alloc(2 << 15);

/**
 * Makes a used handle what a new one is. zlib's reset clears the match state but leaves the last
 * input in the window, and the match search reads a little past the end of the input, so an
 * input could come out differently (still valid) after another one: the bytes must depend on
 * the input alone. A new handle's window is zeros (zlib clears it when it sets the window up);
 * deflating twice the window's size of zeros leaves it so again.
 */
function clear(engine: Engine, windowBits: number): void {
  engine.handle.reset();
  engine.handle.writeSync(constants.Z_FINISH, ZEROS, 0, 2 << windowBits, OUT, 0, OUT.length);
  engine.handle.reset();
}

/** The raw deflate of `data` (default level and strategy), byte for byte what `deflateRawSync` gives. */
export function deflateRaw(data: Uint8Array, windowBits: number, memLevel: number): Buffer {
  const engine = data.length <= SMALL ? engineFor(windowBits, memLevel) : null;
  if (engine) {
    if (engine.used) clear(engine, windowBits);
    engine.used = true;
    engine.handle.writeSync(constants.Z_FINISH, data, 0, data.length, OUT, 0, OUT.length);
    const [availOut, availIn] = engine.state;
    // With input left over, or no room left, the stream may not have ended: not used.
    if (availIn === 0 && availOut > 0) return Buffer.from(OUT.subarray(0, OUT.length - availOut));
  }
  return deflateRawSync(data, { windowBits, memLevel });
}
