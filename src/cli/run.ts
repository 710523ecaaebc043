import { Cancelled, isUserError, oneLine } from "../util/errors.js";
import { chalk } from "../ui/color.js";
import { fsUserError } from "../write/fsError.js";

/** `picofun: error:`, in red when stderr is a terminal (and NO_COLOR is not set). */
export function errorPrefix(): string {
  const text = "picofun: error:";
  return process.stderr.isTTY ? chalk.red(text) : text;
}

/** Wraps a command so bad input prints one line and a code, never a stack trace (unless --debug). */
export async function runSafely(task: () => Promise<void>, debug: boolean): Promise<void> {
  try {
    await task();
  } catch (err) {
    process.exitCode = reportError(err, debug);
    // A question answered with Ctrl-C can leave work running behind it (a spec URL still loading,
    // for up to its 30 s timeout). Nothing is written before the last answer, so stop now.
    if (isCancel(err)) process.stderr.write("", () => process.exit(process.exitCode));
  }
}

function isCancel(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return err instanceof Cancelled || name === "ExitPromptError" || name === "AbortPromptError" || name === "CancelPromptError";
}

export function reportError(original: unknown, debug: boolean): number {
  // A file-system error anywhere (EACCES, ENOSPC, EROFS, ...) is the user's to fix: one line.
  const err = fsUserError(original);
  if (isCancel(err) && !(err instanceof Cancelled)) {
    process.stderr.write("picofun: cancelled\n");
    return 130;
  }
  if (err instanceof Cancelled) {
    process.stderr.write(`picofun: ${err.message}\n`);
    return 130;
  }
  if (debug && original instanceof Error && original.stack) process.stderr.write(`${original.stack}\n`);
  if (isUserError(err)) {
    if (!debug) process.stderr.write(`${errorPrefix()} ${oneLine(err)}\n`);
    return err.exitCode;
  }
  if (!debug) {
    process.stderr.write(`picofun: internal error: ${oneLine(err)} (run again with --debug for details)\n`);
  }
  return 1;
}
