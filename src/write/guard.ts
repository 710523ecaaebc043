import { lstatSync, readlinkSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, parse, relative, sep } from "node:path";
import { blockingFile, fileInTheWay } from "../util/blockingFile.js";
import { UserError } from "../util/errors.js";
import { terminalSafe } from "../util/terminalText.js";

const FIX = "set output_dir (or --output-dir) to a folder of its own, such as output";

/** `path` with symbolic links resolved, also when its last parts do not exist yet. */
function realOrPlanned(path: string): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...missing.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw err;
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(basename(current));
      current = parent;
    }
  }
}

/** Whether `inner` is strictly inside `outer` (both real paths). */
function isBelow(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel !== "" && rel.split(sep)[0] !== ".." && !parse(rel).root;
}

/** A folder picofun must not fill unless it is below this one (named in the message as `label`). */
export interface Anchor {
  path: string;
  label: string;
}

/**
 * Why folder `dir` (its real path `real`) must never be filled, or undefined: a file-system root,
 * the user's home, a folder holding the home, or a folder above one of `anchors`. `what` names the
 * folder in the message ("output folder"), `fix` ends it.
 */
function refusal(shownDir: string, real: string, what: string, fix: string, anchors: Anchor[]): string | undefined {
  const via = real === shownDir ? "" : ` (${terminalSafe(real)})`;
  const shown = terminalSafe(shownDir);
  if (parse(real).root === real) return `${what} ${shown}${via} is the root of the file system: picofun will not fill it; ${fix}`;
  const home = realOrPlanned(homedir());
  if (real === home) return `${what} ${shown}${via} is your home folder: picofun will not fill it; ${fix}`;
  for (const anchor of anchors) {
    if (isBelow(realOrPlanned(anchor.path), real)) {
      return `${what} ${shown}${via} is above the ${anchor.label} ${terminalSafe(anchor.path)}: picofun will not fill it; ${fix}`;
    }
  }
  if (isBelow(home, real)) return `${what} ${shown}${via} holds your home folder: picofun will not fill it; ${fix}`;
  return undefined;
}

/**
 * Why `dir` cannot be a folder picofun fills (the wizard's project folder, an output folder),
 * or undefined: the rules of checkOutputDir without touching the disk beyond reading it.
 */
export function folderProblem(dir: string, what: string, fix: string, anchors: Anchor[]): string | undefined {
  if (blockingFile(dir)) return `${fileInTheWay(terminalSafe(dir), what)}; ${fix}`;
  return refusal(dir, realOrPlanned(dir), what, fix, anchors);
}

/**
 * The real path picofun writes into for output folder `dir`, after refusing folders that
 * must never be filled: a file-system root, the user's home, a folder above the project
 * (`projectDir`: the folder of picofun.toml, or the current folder without one). The project
 * folder itself is allowed. An output folder that is a symbolic link is followed (a dangling
 * one is refused); one that is a file is refused.
 */
export function checkOutputDir(dir: string, projectDir: string): string {
  const shown = terminalSafe(dir);
  if (blockingFile(dir)) throw new UserError(`${fileInTheWay(terminalSafe(dir))}; choose another output_dir (or --output-dir)`);
  let stat;
  try {
    stat = lstatSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT" && (err as NodeJS.ErrnoException).code !== "ENOTDIR") throw err;
  }
  if (stat?.isSymbolicLink()) {
    try {
      realpathSync(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw err;
      const target = terminalSafe(readlinkSync(dir));
      throw new UserError(`output folder ${shown} is a symbolic link to ${target}, which does not exist: create ${target}, or remove the link`);
    }
  }
  const real = realOrPlanned(dir);
  const problem = refusal(dir, real, "output folder", FIX, [{ path: projectDir, label: "project folder" }]);
  if (problem) throw new UserError(problem);
  return real;
}
