/**
 * The answers a worker writes on fd 3, one JSON line each, read with a bound: a line longer than
 * MAX_ANSWER_CHARS, one that is not JSON (a handler writing to fd 3, NaN from a runtime that
 * allowed it) or not an answer is garbage, and the pool replaces the worker that wrote it.
 * What handlers print (stdout, stderr) is read in lines of at most MAX_LOG_LINE characters.
 */
import type { Readable } from "node:stream";

/** Lambda's limit on a synchronous invocation's response (6 MB); the workers refuse larger results. */
export const MAX_RESULT_BYTES = 6 * 1024 * 1024;

/** An answer line can hold a result at the limit plus its envelope; anything longer is garbage. */
export const MAX_ANSWER_CHARS = MAX_RESULT_BYTES + 64 * 1024;

export type Message =
  | { kind: "ready"; executable?: string }
  | { kind: "answer"; id: number; ok: true; result: unknown }
  | { kind: "answer"; id: number; ok: false; errorType: string; errorMessage: string; stackTrace: string[] };

/** A message, or why the line is not one. */
export function parseMessage(line: string): Message | { garbage: string } {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return { garbage: `a line that is not JSON: ${JSON.stringify(line.slice(0, 120))}` };
  }
  if (!msg || typeof msg !== "object" || Array.isArray(msg)) return { garbage: `a line that is not an answer: ${line.slice(0, 120)}` };
  const m = msg as Record<string, unknown>;
  if (m.ready === true) return { kind: "ready", executable: typeof m.executable === "string" ? m.executable : undefined };
  if (typeof m.id !== "number" || typeof m.ok !== "boolean") return { garbage: `a line that is not an answer: ${line.slice(0, 120)}` };
  if (m.ok) return { kind: "answer", id: m.id, ok: true, result: m.result === undefined ? null : m.result };
  return {
    kind: "answer",
    id: m.id,
    ok: false,
    errorType: String(m.errorType ?? "Error"),
    errorMessage: String(m.errorMessage ?? ""),
    stackTrace: Array.isArray(m.stackTrace) ? m.stackTrace.map(String) : [],
  };
}

/** Calls `onLine` for each line of `input`; `onOverflow` (once, then nothing more) when a line grows past the bound. */
export function readLines(input: Readable, onLine: (line: string) => void, onOverflow: () => void): void {
  let buffered = "";
  let over = false;
  input.setEncoding("utf8");
  input.on("data", (chunk: string) => {
    if (over) return;
    let from = 0;
    for (let at = chunk.indexOf("\n"); at !== -1; at = chunk.indexOf("\n", from)) {
      const line = buffered + chunk.slice(from, at);
      buffered = "";
      from = at + 1;
      onLine(line);
      if (over) return;
    }
    buffered += chunk.slice(from);
    if (buffered.length > MAX_ANSWER_CHARS) {
      over = true;
      buffered = "";
      onOverflow();
    }
  });
}

/** CloudWatch Logs' event size (256 KB): a longer printed line is cut into pieces of this size. */
export const MAX_LOG_LINE = 256 * 1024;

/** Calls `onLine` for each line of what a worker prints; a line without an end is passed on in MAX_LOG_LINE pieces (never held whole). */
export function readLogLines(input: Readable, onLine: (line: string) => void): void {
  let buffered = "";
  input.setEncoding("utf8");
  input.on("data", (chunk: string) => {
    const parts = (buffered + chunk).split("\n");
    buffered = parts.pop()!;
    for (const part of parts) onLine(part.endsWith("\r") ? part.slice(0, -1) : part);
    while (buffered.length > MAX_LOG_LINE) {
      onLine(buffered.slice(0, MAX_LOG_LINE));
      buffered = buffered.slice(MAX_LOG_LINE);
    }
  });
  input.on("end", () => {
    if (buffered) onLine(buffered);
  });
}
