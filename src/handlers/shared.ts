/**
 * The shared code of a handlers folder: every file that is not a stub, a test, a cache or
 * picofun's own temporary file. It goes into each typed function's zip beside the stub.
 */
import { relative } from "node:path";
import { walkEntries } from "../util/walkEntries.js";

const SKIP_DIRS = new Set(["__pycache__", "node_modules", "tests", "test", "venv", "build", "dist"]);
const SKIP_FILES = new Set(["conftest.py", "requirements.txt", "package.json", "package-lock.json", "tsconfig.json", "README.md"]);

function skipFile(name: string): boolean {
  return SKIP_FILES.has(name) || /^test_.*\.py$|_test\.py$|\.pyc$|\.(test|spec)\.[cm]?[jt]s$|\.tmp$/.test(name);
}

/**
 * Files under `dir` (relative paths, `/`-separated, sorted) that are shared code: `stubs` (the
 * stub files of every function, relative) are not, nor hidden names, tests and caches. Links
 * are not followed.
 */
export function sharedFiles(dir: string, stubs: Set<string>): string[] {
  const out: string[] = [];
  walkEntries(dir, (e, full) => {
    if (e.name.startsWith(".")) return false;
    if (e.isDirectory()) return !SKIP_DIRS.has(e.name);
    const rel = relative(dir, full).split("\\").join("/");
    if (e.isFile() && !skipFile(e.name) && !stubs.has(rel)) out.push(rel);
    return false;
  });
  return out.sort();
}
