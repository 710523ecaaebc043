import { statSync } from "node:fs";
import { dirname } from "node:path";

/** The nearest of `dir` and its ancestors that exists and is not a folder (what makes ENOTDIR), if any. */
export function blockingFile(dir: string): string | undefined {
  for (let p = dir; ; p = dirname(p)) {
    try {
      return statSync(p).isDirectory() ? undefined : p;
    } catch {
      // missing: look at the parent
    }
    if (dirname(p) === p) return undefined;
  }
}

/** "output folder X is a file" or "the output folder's parent Y is a file", naming the file in the way. */
export function fileInTheWay(dir: string, what = "output folder"): string {
  const file = blockingFile(dir) ?? dir;
  return file === dir ? `${what} ${dir} is a file` : `the ${what}'s parent ${file} is a file`;
}
