/**
 * The worker thread behind StagedWriter: writes the files it is sent into the staging folder
 * while the main thread goes on rendering and zipping. Nothing else happens here.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";

export interface WriterMessage {
  files?: Array<[string, string | Uint8Array]>;
  /** Sent last: the thread answers with the first failure, if any. */
  done?: boolean;
}

export interface WriterReply {
  failure?: { message: string; code?: string };
}

const root = (workerData as { root: string }).root;
const made = new Set<string>();
let failure: WriterReply["failure"];

parentPort?.on("message", (message: WriterMessage) => {
  for (const [rel, data] of failure ? [] : message.files ?? []) {
    try {
      const target = join(root, rel);
      const dir = dirname(target);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(target, data);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      failure = { message: e.message, code: e.code };
      break;
    }
  }
  if (message.done) parentPort?.postMessage({ failure } satisfies WriterReply);
});
