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
 *
 * Every call ends: an answer, or an error when its worker exits, writes what is not an answer
 * (protocol.ts), or runs past the call's timeout by HARD_STOP_GRACE_MS (the worker is killed;
 * the next call starts another). A Python worker is also replaced after it answered a timeout.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import type { StubLanguage } from "../kinds/api/stubs/stubs.js";
import { NODE_WORKER } from "./nodeWorker.js";
import { MAX_ANSWER_CHARS, parseMessage, readLines, readLogLines } from "./protocol.js";
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
  /** Makes the file to run first (TypeScript handlers: the bundle); its failure is the call's error. */
  prepare?: () => Promise<string>;
  /** Folders whose modules load again when one of them changed (typed handlers: handlers and glue). */
  reload?: string[];
  /** Client functions: the API base URL to call instead of the generated one. */
  serverUrl?: string;
}

export type Outcome =
  | { ok: true; result: unknown }
  | { ok: false; errorType: string; errorMessage: string; stackTrace: string[] };

interface Pending {
  resolve: (o: Outcome) => void;
  /** Stops the worker when the call runs past its timeout (plus HARD_STOP_GRACE_MS). */
  timer?: NodeJS.Timeout;
  timeoutMs?: number;
}

interface Worker {
  child: ChildProcess;
  pending: Map<number, Pending>;
  /** Kills the worker: its pending calls fail with `why` (the one that timed out, if any, with a timeout). */
  stop: (why: string, timedOut?: number) => void;
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

/** The error type of an invocation stopped at its timeout (as Lambda reports it). */
export const TIMED_OUT = "Sandbox.Timedout";

/**
 * The worker answers a timeout itself at the deadline (with where the handler was); a handler
 * that swallows that or blocks the worker is stopped this much later by killing the process.
 */
export const HARD_STOP_GRACE_MS = 1000;

const timedOut = (ms: number): Outcome => ({ ok: false, errorType: TIMED_OUT, errorMessage: `Task timed out after ${(ms / 1000).toFixed(2)} seconds`, stackTrace: [] });

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
    const log = this.options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
    let failed = false;
    const fail = (why: string, timedOutId?: number) => {
      if (failed) return;
      failed = true;
      const live = this.workers.get(lang) ?? [];
      if (live.includes(worker)) this.workers.set(lang, live.filter((w) => w !== worker));
      for (const [id, p] of worker.pending) {
        clearTimeout(p.timer);
        p.resolve(id === timedOutId ? timedOut(p.timeoutMs ?? 0) : exitError(why));
      }
      worker.pending.clear();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      if (lang !== "python") return;
      // One that never started cannot run anything: the waiting calls fail too (no restart loop).
      if (!worker.ready) for (const job of this.queue.splice(0)) job.resolve(exitError(why));
      else this.dispatch();
    };
    const worker: Worker = { child, pending: new Map(), ready: lang !== "python", stop: fail };
    for (const s of [child.stdout, child.stderr]) readLogLines(s as Readable, log);
    const garbage = (what: string) => {
      log(`the ${lang} worker wrote ${what}; it is replaced`);
      fail(`the ${lang} worker wrote ${what}`);
    };
    readLines(
      child.stdio[3] as Readable,
      (line) => {
        // A stopped worker's last words (an answer racing its kill) are not garbage.
        if (failed) return;
        const msg = parseMessage(line);
        if ("garbage" in msg) return garbage(msg.garbage);
        if (msg.kind === "ready") {
          worker.ready = true;
          if (msg.executable) this.pythonExecutable ??= msg.executable;
          return this.dispatch();
        }
        const done = worker.pending.get(msg.id);
        if (!done) return garbage(`an answer to no pending call (id ${msg.id})`);
        clearTimeout(done.timer);
        worker.pending.delete(msg.id);
        worker.busySince = undefined;
        const { kind: _kind, id: _id, ...outcome } = msg;
        done.resolve(outcome);
        // Lambda starts a fresh environment after a timeout: so does serve (the handler may have left state half-done).
        if (!outcome.ok && outcome.errorType === TIMED_OUT && lang === "python") return fail("the worker timed out");
        if (lang === "python") this.dispatch();
      },
      () => garbage(`an answer over ${MAX_ANSWER_CHARS} characters`),
    );
    child.on("error", (e) => fail(`${cmd} could not start: ${e.message}`));
    child.on("exit", (code, signal) => fail(`the ${lang} worker exited (${signal ?? `code ${code}`})`));
    (child.stdin as Writable).on("error", () => undefined);
    this.workers.set(lang, [...(this.workers.get(lang) ?? []), worker]);
    return worker;
  }

  private send(worker: Worker, job: Job): void {
    const ms = job.inv.timeoutMs;
    const timer = ms === undefined ? undefined : setTimeout(() => {
      this.options.log?.(`an invocation ran ${ms + HARD_STOP_GRACE_MS} ms (timeout ${ms} ms): its worker is stopped and replaced`);
      worker.stop("the worker was stopped: another call in it ran past its timeout", job.id);
    }, ms + HARD_STOP_GRACE_MS);
    timer?.unref();
    worker.pending.set(job.id, { resolve: job.resolve, timer, timeoutMs: ms });
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

  async invoke(lang: StubLanguage, inv: Invocation): Promise<Outcome> {
    if (inv.prepare) {
      try {
        inv = { ...inv, file: await inv.prepare(), prepare: undefined };
      } catch (err) {
        return { ok: false, errorType: "Runtime.UserCodeSyntaxError", errorMessage: err instanceof Error ? err.message : String(err), stackTrace: [] };
      }
    }
    if (this.closed) return exitError("the server is stopping");
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
