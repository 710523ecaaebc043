/**
 * Long-lived worker processes per runtime (python3, node), started on first use and again after a
 * crash. Each call is one Lambda invocation: `{file, module, event}` in, the handler's result or
 * its error (type, message, stack trace) out.
 *
 * A Python worker runs one invocation at a time, like a Lambda instance. Calls wait in one queue
 * and go to the first worker that is idle and started (it says `{"ready": true}` on fd 3), so a
 * worker still starting never holds up a call another could take. While calls wait behind calls
 * that take a while, more workers start one at a time, up to `maxWorkers`. Node.js runs invocations concurrently in its one worker (async handlers
 * do not block each other).
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
  /** Python: the worker said it is ready for calls. */
  ready: boolean;
  /** When its current call was sent (performance.now()). */
  busySince?: number;
}

interface Job {
  id: number;
  inv: Invocation;
  resolve: (o: Outcome) => void;
}

/** A Python call running this long with calls waiting starts another worker (fast handlers keep one). */
export const GROW_AFTER_MS = 10;

const exitError = (why: string): Outcome => ({ ok: false, errorType: "Runtime.ExitError", errorMessage: why, stackTrace: [] });

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
  /** Python calls waiting for an idle worker. */
  private queue: Job[] = [];
  private next = 1;
  private closed = false;
  /** The interpreter the first Python worker reported (later workers skip launchers like pyenv shims). */
  private pythonExecutable?: string;
  private growTimer?: NodeJS.Timeout;
  constructor(private readonly options: WorkerPoolOptions = {}) {}

  private start(lang: StubLanguage): Worker {
    const [cmd, args] =
      lang === "python"
        ? [this.pythonExecutable ?? this.options.python ?? process.env.PICOFUN_PYTHON ?? "python3", ["-u", "-c", PYTHON_WORKER]]
        : [process.execPath, ["--input-type=module", "-e", NODE_WORKER]];
    const child = spawn(cmd, args, {
      stdio: ["pipe", "pipe", "pipe", "pipe"],
      env: { ...process.env, ...this.options.env, PYTHONDONTWRITEBYTECODE: "1" },
      cwd: this.options.cwd,
    });
    const worker: Worker = { child, pending: new Map(), ready: lang !== "python" };
    const log = this.options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
    for (const s of [child.stdout, child.stderr]) createInterface({ input: s as Readable }).on("line", (l) => log(l));
    createInterface({ input: child.stdio[3] as Readable }).on("line", (line) => {
      let msg: { id: number; ready?: boolean; executable?: string } & Outcome;
      try {
        msg = JSON.parse(line);
      } catch {
        return log(line);
      }
      if (msg.ready) {
        worker.ready = true;
        if (typeof msg.executable === "string" && msg.executable) this.pythonExecutable ??= msg.executable;
        return this.dispatch();
      }
      const done = worker.pending.get(msg.id);
      worker.pending.delete(msg.id);
      worker.busySince = undefined;
      const { id: _id, ...outcome } = msg;
      done?.(outcome as Outcome);
      if (lang === "python") this.dispatch();
    });
    let failed = false;
    const fail = (why: string) => {
      if (failed) return;
      failed = true;
      const live = this.workers.get(lang) ?? [];
      if (live.includes(worker)) this.workers.set(lang, live.filter((w) => w !== worker));
      for (const done of worker.pending.values()) done(exitError(why));
      worker.pending.clear();
      if (lang !== "python") return;
      // One that never started cannot run anything: the waiting calls fail too (no restart loop).
      if (!worker.ready) for (const job of this.queue.splice(0)) job.resolve(exitError(why));
      else this.dispatch();
    };
    child.on("error", (e) => fail(`${cmd} could not start: ${e.message}`));
    child.on("exit", (code, signal) => fail(`the ${lang} worker exited (${signal ?? `code ${code}`})`));
    (child.stdin as Writable).on("error", () => undefined);
    this.workers.set(lang, [...(this.workers.get(lang) ?? []), worker]);
    return worker;
  }

  private send(worker: Worker, job: Job): void {
    worker.pending.set(job.id, job.resolve);
    worker.busySince = performance.now();
    (worker.child.stdin as Writable).write(`${JSON.stringify({ id: job.id, ...job.inv })}\n`);
  }

  /**
   * Python: waiting calls to idle, started workers. While calls wait and every worker has been on
   * its call for GROW_AFTER_MS, another worker starts (one at a time, up to the limit): a fast
   * handler is served best by one process, a slow one by several.
   */
  private dispatch(): void {
    const limit = Math.max(1, this.options.maxWorkers ?? DEFAULT_PYTHON_WORKERS);
    while (this.queue.length && !this.closed) {
      const live = this.workers.get("python") ?? [];
      const idle = live.find((w) => w.ready && w.pending.size === 0);
      if (idle) {
        this.send(idle, this.queue.shift()!);
        continue;
      }
      if (live.length >= limit || live.some((w) => !w.ready)) return;
      const now = performance.now();
      const soonest = Math.min(...live.map((w) => w.busySince ?? now));
      if (!live.length || now - soonest >= GROW_AFTER_MS) {
        this.start("python");
        return;
      }
      if (!this.growTimer) {
        this.growTimer = setTimeout(() => {
          this.growTimer = undefined;
          this.dispatch();
        }, GROW_AFTER_MS - (now - soonest) + 1);
        this.growTimer.unref();
      }
      return;
    }
  }

  /** How many workers of `lang` are running. */
  size(lang: StubLanguage): number {
    return this.workers.get(lang)?.length ?? 0;
  }

  /** Starts a worker of `lang` now (so the first request does not wait for it). */
  warm(lang: StubLanguage): void {
    if (!this.closed && !this.size(lang)) this.start(lang);
  }

  invoke(lang: StubLanguage, inv: Invocation): Promise<Outcome> {
    if (this.closed) return Promise.resolve(exitError("the server is stopping"));
    return new Promise<Outcome>((resolve) => {
      const job: Job = { id: this.next++, inv, resolve };
      if (lang !== "python") return this.send(this.workers.get(lang)?.[0] ?? this.start(lang), job);
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Stops every worker (SIGTERM, then SIGKILL after a second); waiting calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.growTimer);
    for (const job of this.queue.splice(0)) job.resolve(exitError("the server is stopping"));
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
