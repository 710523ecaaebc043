import { linkSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { UserError } from "../util/errors.js";
import { terminalSafe } from "../util/terminalText.js";
import { tempName } from "./atomic.js";

export const LOCK_FILE = ".picofun.lock";

/** How long a second run into the same folder waits for the first before refusing. */
export const LOCK_WAIT_MS = 3000;

interface Holder {
  pid: number;
  host: string;
  /** The process's start time in clock ticks since boot (Linux), to tell a reused pid. */
  start?: string;
  started: string;
  command: string;
}

/** Field 22 of /proc/<pid>/stat: when the process started (undefined off Linux). */
function startTime(pid: number | "self"): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function readHolder(file: string): Holder | undefined | "gone" {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw err;
  }
  try {
    const h = JSON.parse(text) as Holder;
    return typeof h.pid === "number" && typeof h.host === "string" ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the run that wrote the lock may still be running (true when that cannot be told). */
function holderAlive(h: Holder): boolean {
  if (h.host !== hostname()) return true;
  if (h.pid === process.pid) return false;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const now = h.start === undefined ? undefined : startTime(h.pid);
  return now === undefined || now === h.start;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock of output folder `dir` (which must exist): `.picofun.lock`, naming this run.
 * A lock left by a run that is gone (killed) is taken over; one held by a live run is waited
 * for up to `waitMs`, then refused with one line naming the holder. Returns the release.
 */
export async function lockOutput(dir: string, waitMs = LOCK_WAIT_MS): Promise<() => void> {
  const file = join(dir, LOCK_FILE);
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    start: startTime("self"),
    started: new Date().toISOString(),
    command: process.argv.slice(1).join(" ").slice(0, 300),
  };
  const text = `${JSON.stringify(me)}\n`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    // Written whole under another name, then linked into place: the lock never holds half a holder.
    const tmp = tempName(file);
    writeFileSync(tmp, text);
    try {
      linkSync(tmp, file);
      clearLeftovers(dir);
      return () => release(file, text);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") continue; // the temporary file was cleared away meanwhile: again
      if (code !== "EEXIST") throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
    const holder = readHolder(file);
    if (holder === "gone") continue;
    if (!holder || !holderAlive(holder)) {
      breakStale(file, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      const what = `pid ${holder.pid} on ${terminalSafe(holder.host)}, started ${terminalSafe(String(holder.started))}: ${terminalSafe(String(holder.command))}`;
      throw new UserError(
        `output folder ${terminalSafe(dir)} is in use by another picofun run (${what}): wait for it to finish, or delete ${terminalSafe(file)} if that run is gone`,
      );
    }
    await sleep(50);
  }
}

/**
 * Removes a lock whose holder is gone. Breaking is itself exclusive: a run first links its own
 * `.picofun.lock.break`, then reads the lock again and removes it only if it is still the one
 * seen as stale. While a stale lock is in place nobody else can take it, and nobody else may
 * break it, so what is removed is exactly that stale lock (never a newer holder's, as a rename
 * and put-back would risk when three runs meet). A break file left by a run killed while
 * breaking is removed like a stale lock once its run is gone.
 */
function breakStale(file: string, seen: Holder | undefined): void {
  const breaker = `${file}.break`;
  const tmp = tempName(breaker);
  writeFileSync(tmp, `${JSON.stringify({ pid: process.pid, host: hostname(), start: startTime("self"), started: new Date().toISOString(), command: "breaking a stale lock" })}\n`);
  try {
    linkSync(tmp, breaker);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const other = readHolder(breaker);
    // Another run is breaking it (the caller tries again), unless that run is gone.
    if (other !== "gone" && (!other || !holderAlive(other))) rmSync(breaker, { force: true });
    return;
  } finally {
    rmSync(tmp, { force: true });
  }
  try {
    const now = readHolder(file);
    const same = now !== "gone" && (now === undefined ? seen === undefined : now.pid === seen?.pid && now.started === seen?.started);
    if (same) rmSync(file, { force: true });
  } finally {
    rmSync(breaker, { force: true });
  }
}

/** What runs killed while taking the lock leave (`.picofun.lock.<pid>...`), when that run is gone. */
function clearLeftovers(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = name.startsWith(`${LOCK_FILE}.`) ? /^(?:break\.)?(\d+)[.-]/.exec(name.slice(LOCK_FILE.length + 1))?.[1] : undefined;
    if (pid && Number(pid) !== process.pid && !holderAlive({ pid: Number(pid), host: hostname(), started: "", command: "" })) {
      rmSync(join(dir, name), { force: true });
    }
  }
}

function release(file: string, text: string): void {
  try {
    if (readFileSync(file, "utf8") === text) rmSync(file, { force: true });
  } catch {
    // already gone
  }
}
