/**
 * Reading a file the user names without trusting its size: a regular file's size is checked
 * before it is read, anything else (a device like /dev/zero, a FIFO, stdin) is read in chunks
 * and given up on past the limit, so no such file can grow picofun's memory.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

const CHUNK = 64 * 1024;

/** "6 MB": a byte count in the unit people read. */
export function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

function readChunk(fd: number, buf: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      // A non-blocking stdin with nothing yet: wait a little and read again.
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * The bytes of `file` (a path, or an open file descriptor such as 0 for stdin), or undefined when
 * it holds more than `max` bytes. File-system errors (ENOENT, EISDIR, EACCES...) are thrown as they are.
 */
export function readBounded(file: string | number, max: number): Buffer | undefined {
  const fd = typeof file === "number" ? file : openSync(file, "r");
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > max) return undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readChunk(fd, buf);
      if (n === 0) return Buffer.concat(chunks, total);
      total += n;
      if (total > max) return undefined;
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
  } finally {
    if (typeof file !== "number") closeSync(fd);
  }
}
