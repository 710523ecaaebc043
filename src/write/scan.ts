import { readdirSync, readlinkSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";

export interface OutputScan {
  /** Every file under the folder that is not a symbolic link (relative, `/`-separated). */
  files: Set<string>;
  /** Every folder under it (relative), links not included. */
  dirs: Set<string>;
  /** Every symbolic link under it, file or folder (relative), and where it points. */
  links: Map<string, LinkInfo>;
}

export interface LinkInfo {
  /** What the link holds, as written. */
  target: string;
  /** Whether it ends up inside the output folder (false for a dangling or outside link). */
  inside: boolean;
}

/**
 * One walk of the output folder (`root` must be a real path, see guard.ts). Symbolic links are listed, never followed: nothing under a
 * link is read, written or removed (see output.ts).
 */
export function scanOutput(root: string, skip: (name: string) => boolean = () => false): OutputScan {
  const scan: OutputScan = { files: new Set(), dirs: new Set(), links: new Map() };
  const walk = (current: string, prefix: string) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    for (const e of entries) {
      if (!prefix && skip(e.name)) continue;
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      const full = join(current, e.name);
      if (e.isSymbolicLink()) scan.links.set(rel, linkInfo(root, full));
      else if (e.isDirectory()) {
        scan.dirs.add(rel);
        walk(full, rel);
      } else scan.files.add(rel);
    }
  };
  walk(root, "");
  return scan;
}

function linkInfo(root: string, full: string): LinkInfo {
  let target = "";
  try {
    target = readlinkSync(full);
  } catch {
    // unreadable: treated as pointing outside
  }
  let inside = false;
  try {
    const real = realpathSync(full);
    const rel = relative(root, real);
    inside = rel !== "" && rel.split(sep)[0] !== ".." && !isAbsolute(rel);
  } catch {
    // dangling
  }
  return { target, inside };
}

/** The first of `rel`'s folders (relative) that is in `set`, if any. */
export function parentIn(rel: string, set: { has(key: string): boolean; size: number }): string | undefined {
  if (!set.size) return undefined;
  for (let i = rel.indexOf("/"); i !== -1; i = rel.indexOf("/", i + 1)) {
    const dir = rel.slice(0, i);
    if (set.has(dir)) return dir;
  }
  return undefined;
}

/** The link `rel` is under (itself or one of its folders), if any. */
export function linkOnPath(rel: string, links: Map<string, LinkInfo>): string | undefined {
  return parentIn(rel, links) ?? (links.has(rel) ? rel : undefined);
}
