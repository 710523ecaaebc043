/**
 * Long-lived worker processes per runtime (python3, node), started on first use and again after a
 * crash. Each call is one Lambda invocation: `{file, module, event}` in, the handler's result or
 * its error (type, message, stack trace) out.
 *
 * A Python worker runs one invocation at a time, like a Lambda instance; when every Python worker
 * is busy another is started, up to `maxWorkers` (then calls queue on the least busy one). Node.js
 * runs invocations concurrently in its one worker (async handlers do not block each other).
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { createInterface } from "node:readline";
import type { StubLanguage } from "../api/stubs.js";
import { NODE_WORKER } from "./nodeWorker.js";
import { PYTHON_WORKER } from "./pythonWorker.js";

export interface Invocation {
  file: string;
  module: string;
  event: unknown;
  functionName?: string;
  timeoutMs?: number;
  requestId?: string;
  memory?: number;
  /** Folders put first on the module path (Python: sys.path). */
  path?: string[];
  /** Client functions: the API base URL to call instead of the generated one. */
  serverUrl?: string;
}

export type Outcome =
  | { ok: true; result: unknown }
  | { ok: false; errorType: string; errorMessage: string; stackTrace: string[] };

interface Worker {
  child: ChildProcess;
  pending: Map<number, (o: Outcome) => void>;
}

/** Python workers `serve` may start by default (each a process of its own, started when all others are busy). */
export const DEFAULT_PYTHON_WORKERS = 8;

export interface WorkerPoolOptions {
  python?: string;
  /** Where the workers' own output (what handlers print) goes. */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Most Python workers at once (default DEFAULT_PYTHON_WORKERS). */
  maxWorkers?: number;
}

export class WorkerPool {
  private workers = new Map<StubLanguage, Worker[]>();
  private next = 1;
  private closed = false;
  constructor(private readonly options: WorkerPoolOptions = {}) {}

  private start(lang: StubLanguage): Worker {
    const [cmd, args] =
      lang === "python"
        ? [this.options.python ?? process.env.PICOFUN_PYTHON ?? "python3", ["-u", "-c", PYTHON_WORKER]]
        : [process.execPath, ["--input-type=module", "-e", NODE_WORKER]];
    const child = spawn(cmd, args, {
      stdio: ["pipe", "pipe", "pipe", "pipe"],
      env: { ...process.env, ...this.options.env, PYTHONDONTWRITEBYTECODE: "1" },
      cwd: this.options.cwd,
    });
    const worker: Worker = { child, pending: new Map() };
    const log = this.options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
    for (const s of [child.stdout, child.stderr]) createInterface({ input: s as Readable }).on("line", (l) => log(l));
    createInterface({ input: child.stdio[3] as Readable }).on("line", (line) => {
      let msg: { id: number } & Outcome;
      try {
        msg = JSON.parse(line);
      } catch {
        return log(line);
      }
      const done = worker.pending.get(msg.id);
      worker.pending.delete(msg.id);
      const { id: _id, ...outcome } = msg;
      done?.(outcome as Outcome);
    });
    const fail = (why: string) => {
      const live = this.workers.get(lang) ?? [];
      if (live.includes(worker)) this.workers.set(lang, live.filter((w) => w !== worker));
      for (const done of worker.pending.values()) done({ ok: false, errorType: "Runtime.ExitError", errorMessage: why, stackTrace: [] });
      worker.pending.clear();
    };
    child.on("error", (e) => fail(`${cmd} could not start: ${e.message}`));
    child.on("exit", (code, signal) => fail(`the ${lang} worker exited (${signal ?? `code ${code}`})`));
    (child.stdin as Writable).on("error", () => undefined);
    this.workers.set(lang, [...(this.workers.get(lang) ?? []), worker]);
    return worker;
  }

  private limit(lang: StubLanguage): number {
    return lang === "python" ? Math.max(1, this.options.maxWorkers ?? DEFAULT_PYTHON_WORKERS) : 1;
  }

  /** An idle worker, else a new one while under the limit, else the least busy (its calls queue). */
  private pick(lang: StubLanguage): Worker {
    const live = this.workers.get(lang) ?? [];
    const idle = live.find((w) => w.pending.size === 0);
    if (idle) return idle;
    if (live.length < this.limit(lang)) return this.start(lang);
    return live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  /** How many workers of `lang` are running. */
  size(lang: StubLanguage): number {
    return this.workers.get(lang)?.length ?? 0;
  }

  /** Starts the worker of `lang` now (so the first request does not wait for it). */
  warm(lang: StubLanguage): void {
    if (!this.closed && !this.size(lang)) this.start(lang);
  }

  invoke(lang: StubLanguage, inv: Invocation): Promise<Outcome> {
    if (this.closed) return Promise.resolve({ ok: false, errorType: "Runtime.ExitError", errorMessage: "the server is stopping", stackTrace: [] });
    const worker = this.pick(lang);
    const id = this.next++;
    return new Promise<Outcome>((resolve) => {
      worker.pending.set(id, resolve);
      (worker.child.stdin as Writable).write(`${JSON.stringify({ id, ...inv })}\n`);
    });
  }

  /** Stops every worker (SIGTERM, then SIGKILL after a second). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.workers.values()].flat().map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
            w.child.once("exit", () => resolve());
            w.child.stdin?.end();
            w.child.kill("SIGTERM");
            setTimeout(() => w.child.kill("SIGKILL"), 1000).unref();
          }),
      ),
    );
    this.workers.clear();
  }
}
