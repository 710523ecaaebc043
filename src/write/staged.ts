import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { sha256Hex } from "../util/hash.js";
import { writeManifest, type Manifest } from "./manifest.js";
import type { WriterMessage, WriterReply } from "./writerThread.js";

/** Files sent to the writer thread per message (one message per file costs more than it saves). */
const BATCH = 64;

export interface StagedResult {
  written: string[];
}

/**
 * A first generation: files go into a sibling staging folder, renamed into place at the end,
 * so the output appears whole or not at all.
 *
 * With `thread`, files are written by a worker thread as soon as they are handed over (`add`),
 * so disk writes overlap the main thread's rendering and zipping; the rest are written by
 * `finish`. Without it, or when the thread's module is not there (running from TypeScript
 * sources), `finish` writes everything itself.
 */
export class StagedWriter {
  readonly staging: string;
  private worker?: Worker;
  /** The thread's crash, if it crashed (reported by finish()). */
  private crash?: Error;
  private batch: Array<[string, string | Uint8Array]> = [];
  /** What was handed to the thread, so finish() writes only what is new or changed since. */
  private sent = new Map<string, string | Uint8Array>();

  private constructor(readonly dir: string) {
    this.staging = `${dir}.picofun-${process.pid}.tmp`;
    rmSync(this.staging, { recursive: true, force: true });
    mkdirSync(this.staging, { recursive: true });
  }

  static async open(dir: string, options: { thread: boolean }): Promise<StagedWriter> {
    const writer = new StagedWriter(dir);
    if (options.thread) {
      writer.worker = await startThread(writer.staging);
      // A crash is reported by finish(); until then it must not take the process down.
      writer.worker?.on("error", (err: Error) => {
        writer.crash = err;
      });
    }
    return writer;
  }

  /** Whether a writer thread is running (files handed over are being written now). */
  get threaded(): boolean {
    return !!this.worker;
  }

  /** Hands a file over early (only useful with the thread). */
  add(rel: string, data: string | Uint8Array): void {
    if (!this.worker) return;
    this.sent.set(rel, data);
    this.batch.push([rel, data]);
    if (this.batch.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (!this.worker || !this.batch.length) return;
    this.worker.postMessage({ files: this.batch } satisfies WriterMessage);
    this.batch = [];
  }

  /** Writes whatever was not handed over (or changed since), the manifest, and renames the folder into place. */
  async finish(files: Map<string, string | Uint8Array>, manifest: Omit<Manifest, "files">): Promise<StagedResult> {
    try {
      const rest = [...files].filter(([rel, data]) => this.sent.get(rel) !== data);
      if (this.worker) {
        for (const [rel, data] of rest) this.add(rel, data);
        this.flush();
        await this.drain();
      } else {
        const made = new Set<string>();
        for (const [rel, data] of rest) {
          const target = join(this.staging, rel);
          if (!made.has(dirname(target))) {
            mkdirSync(dirname(target), { recursive: true });
            made.add(dirname(target));
          }
          writeFileSync(target, data);
        }
      }
      const hashes: Record<string, string> = {};
      for (const [rel, data] of files) hashes[rel] = sha256Hex(data);
      writeManifest(this.staging, { ...manifest, version: 1, files: hashes });
      try {
        rmdirSync(this.dir);
      } catch {
        // it did not exist
      }
      mkdirSync(dirname(this.dir), { recursive: true });
      renameSync(this.staging, this.dir);
    } catch (err) {
      await this.abort();
      throw err;
    }
    return { written: [...files.keys()].sort() };
  }

  /** Waits for the thread to write everything sent; rethrows its first failure. */
  private async drain(): Promise<void> {
    const worker = this.worker!;
    const reply = await new Promise<WriterReply>((resolve, reject) => {
      if (this.crash) return reject(this.crash);
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(this.crash ?? new Error(`the file writer thread stopped (exit code ${code})`)));
      worker.postMessage({ done: true } satisfies WriterMessage);
    });
    await worker.terminate();
    this.worker = undefined;
    if (reply.failure) throw Object.assign(new Error(reply.failure.message), { code: reply.failure.code });
  }

  /** Stops the thread and removes the staging folder (after a failure anywhere in the run). */
  async abort(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    rmSync(this.staging, { recursive: true, force: true });
  }
}

async function startThread(root: string): Promise<Worker | undefined> {
  const url = new URL("./writerThread.js", import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  const { Worker } = await import("node:worker_threads");
  return new Worker(url, { workerData: { root } });
}
