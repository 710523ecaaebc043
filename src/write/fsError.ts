import { dirname, sep } from "node:path";
import { UserError } from "../util/errors.js";
import { terminalSafe } from "../util/terminalText.js";

/** An error from a file-system call (it has an errno code and a syscall). */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | undefined;
  return !!e && typeof e === "object" && typeof e.code === "string" && typeof e.syscall === "string";
}

/** What went wrong and what to do about it, by errno. `where` is the path the call was about. */
const FIXES: Record<string, (where: string) => string> = {
  EACCES: (p) => `permission denied on ${p}: make it writable for this user (chmod/chown) or choose another output_dir (--output-dir)`,
  EPERM: (p) => `operation not permitted on ${p}: make it writable for this user (chmod/chown, or clear its immutable flag) or choose another output_dir (--output-dir)`,
  ENOSPC: (p) => `no space left on the device of ${p}: free some space and run again (what is there stays usable; the next run finishes the job)`,
  EDQUOT: (p) => `disk quota exceeded writing ${p}: free some space and run again (what is there stays usable; the next run finishes the job)`,
  EROFS: (p) => `${p} is on a read-only file system: choose another output_dir (--output-dir) or remount it read-write`,
  ENOTEMPTY: (p) => `${p} changed while picofun was writing (another program writing there?): let it finish and run again`,
  EEXIST: (p) => `${p} appeared while picofun was writing (another program writing there?): let it finish and run again`,
  ENOTDIR: (p) => `a file is in the way of a folder at ${p}: move that file away and run again`,
  EISDIR: (p) => `a folder is in the way of a file at ${p}: move that folder away and run again`,
  ELOOP: (p) => `${p} is a loop of symbolic links: remove the link and run again`,
  ENAMETOOLONG: (p) => `the path ${p} is too long for the file system: choose a shorter output_dir (--output-dir)`,
  EMFILE: (p) => `too many open files while writing ${p}: raise the limit (ulimit -n) and run again`,
  ENFILE: (p) => `too many open files while writing ${p}: raise the limit (ulimit -n) and run again`,
  EIO: (p) => `input/output error on ${p}: check the disk and run again`,
  EBUSY: (p) => `${p} is busy (a mount point, or open elsewhere): choose another output_dir (--output-dir)`,
  EXDEV: (p) => `${p} is on another file system than its folder (a mount point inside the output folder?): remove the mount or choose another output_dir`,
};

/**
 * The path to name: a temporary file stands for the file it becomes, or, when the folder
 * refuses new files (permissions, read-only), for that folder.
 */
function shownPath(err: NodeJS.ErrnoException, staged: string): string {
  // A file assembled in the staging folder (output.ts) is named where it goes.
  const path = staged.split(`${sep}.picofun-staging${sep}`).join(sep).replace(/[\\/]\.picofun-staging$/, "");
  const temp = /\.\d+-\d+\.tmp$/.exec(path);
  if (!temp) return path;
  const target = path.slice(0, temp.index);
  return err.code === "EACCES" || err.code === "EPERM" || err.code === "EROFS" ? dirname(target) : target;
}

/**
 * A file-system error as one line naming the path and the fix. Errors that are not
 * file-system errors (or already a UserError) are returned as they are.
 */
export function fsUserError(err: unknown, fallbackPath?: string): unknown {
  if (!isSystemError(err) || err instanceof UserError) return err;
  const where = terminalSafe(shownPath(err, err.path ?? fallbackPath ?? "a file"));
  const fix = FIXES[err.code!];
  const text = fix ? fix(where) : `cannot ${err.syscall} ${where}: ${err.message.split("\n")[0]}`;
  return new UserError(`${text} (${err.code})`, { cause: err });
}

/** Runs `task`, turning file-system errors into one-line UserErrors. */
export async function withFsErrors<T>(task: () => T | Promise<T>, fallbackPath?: string): Promise<T> {
  try {
    return await task();
  } catch (err) {
    throw fsUserError(err, fallbackPath);
  }
}
