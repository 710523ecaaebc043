import { terminalSafe } from "./terminalText.js";

/**
 * A problem caused by the user's input (spec, config, arguments). The CLI prints
 * its message as one line on stderr and exits with `exitCode`, without a stack trace.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "UserError";
    this.exitCode = options.exitCode ?? 1;
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** One line, whatever the error: used where a library error is shown to a user. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return terminalSafe(text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean).join(" ")).slice(0, 600);
}

/** The user declined (a "cancel" answer): a plain line and exit 130, not an error. */
export class Cancelled extends Error {
  constructor(message = "cancelled; nothing was written") {
    super(message);
    this.name = "Cancelled";
  }
}
