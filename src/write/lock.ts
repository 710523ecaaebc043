import { linkSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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
 * Removes a lock whose holder is gone. It is first renamed away, so only one run removes it;
 * if what was renamed turns out to be a newer lock (its holder took over meanwhile), it is put back.
 */
function breakStale(file: string, seen: Holder | undefined): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  const moved = readHolder(aside);
  const same = moved !== "gone" && (moved === undefined ? seen === undefined : moved.pid === seen?.pid && moved.started === seen?.started);
  if (!same) {
    try {
      linkSync(aside, file);
    } catch {
      // someone else holds it now
    }
  }
  rmSync(aside, { force: true });
}

/** What runs killed while taking the lock leave (`.picofun.lock.<pid>...`), when that run is gone. */
function clearLeftovers(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = name.startsWith(`${LOCK_FILE}.`) ? /^(\d+)[.-]/.exec(name.slice(LOCK_FILE.length + 1))?.[1] : undefined;
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
