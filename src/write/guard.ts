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
  const via = real === dir ? "" : ` (${terminalSafe(real)})`;
  if (parse(real).root === real) {
    throw new UserError(`output folder ${shown}${via} is the root of the file system: picofun will not fill it; ${FIX}`);
  }
  const home = realOrPlanned(homedir());
  if (real === home) throw new UserError(`output folder ${shown}${via} is your home folder: picofun will not fill it; ${FIX}`);
  const project = realOrPlanned(projectDir);
  if (isBelow(project, real)) {
    throw new UserError(`output folder ${shown}${via} is above the project folder ${terminalSafe(projectDir)}: picofun will not fill it; ${FIX}`);
  }
  if (isBelow(home, real)) {
    throw new UserError(`output folder ${shown}${via} holds your home folder: picofun will not fill it; ${FIX}`);
  }
  return real;
}
