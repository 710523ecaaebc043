import { connect } from "node:net";

export interface RawAnswer {
  /** The status of the first answer, or undefined when the connection ended without one. */
  status?: number;
  text: string;
}

/**
 * Sends bytes as they are (no client-side checks, unlike fetch) and collects what comes back until
 * one answer with a Content-Length is complete, the server closes the connection or `timeoutMs`
 * passes (then `status` says whether one came).
 * `body` chunks are written one after another while the server still reads.
 */
export function rawRequest(url: string, head: string, o: { body?: Iterable<Buffer>; timeoutMs?: number } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let text = "";
    const socket = connect(Number(port), hostname);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : undefined, text });
    };
    const timer = setTimeout(done, o.timeoutMs ?? 20_000);
    socket.on("data", (d) => {
      text += d.toString("latin1");
      // A whole answer with a Content-Length: no need to wait for the connection to end.
      const end = text.indexOf("\r\n\r\n");
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
      if (end !== -1 && length && Buffer.byteLength(text.slice(end + 4), "latin1") >= Number(length[1])) done();
    });
    socket.on("error", () => undefined);
    socket.on("close", done);
    socket.on("connect", async () => {
      socket.write(head);
      for (const chunk of o.body ?? []) {
        if (socket.destroyed || text) break;
        if (!socket.write(chunk)) await new Promise((r) => socket.once("drain", r).once("close", r));
      }
    });
  });
}

/** A slowloris client: sends a request's header lines one byte at a time, `everyMs` apart, until `stop()`. */
export function slowClient(url: string, everyMs = 200): { stop: () => void; closedByServer: () => boolean } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on("error", () => undefined);
  let closed = false;
  socket.on("close", () => (closed = true));
  const bytes = Buffer.from("GET /echo HTTP/1.1\r\nHost: slow\r\n" + "X-Slow: " + "a".repeat(10_000));
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= bytes.length) return;
    socket.write(bytes.subarray(at, at + 1));
    at++;
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
    closedByServer: () => closed,
  };
}
