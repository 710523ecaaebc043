/**
 * esbuild is skipped for a function whose bundle inputs are unchanged. Each bundle is kept in the
 * cache folder (`bundles/<project>/<function>.mjs`) with what it was built from: the content
 * hashes of every file esbuild read for it (the stub, the glue it imports, shared modules,
 * dependencies outside the installed ones) and a key of the rest (esbuild's version, the build
 * options, the installed dependencies' folder, the names of the files in the handlers folder
 * other than stubs and tests, so a new file that could change what an import resolves to rebuilds
 * everything).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve, sep } from "node:path";
import { cacheRoot } from "../util/cacheDir.js";

/** Bump when the bundle options or the way inputs are recorded change. */
const CACHE_FORMAT = "1";

interface Entry {
  /** Input file (relative to the project, as esbuild's metafile names it) -> sha256. */
  inputs: Record<string, string>;
  /** sha256 of the bundle. */
  out: string;
}

interface Index {
  key: string;
  functions: Record<string, Entry>;
}

const sha = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** The names under the handlers folder (not node_modules' content, not hidden ones), sorted: what resolution can see. */
function listing(dir: string, skip: Set<string>): string {
  const out: string[] = [];
  const walk = (current: string, depth: number): void => {
    if (depth > 20) return;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith(".") && e.name !== ".package-lock.json") continue;
      const full = join(current, e.name);
      // Stubs and tests: a new operation's stub or a new test changes no other function's imports.
      if (skip.has(full) || /\.(test|spec)\.[cm]?[jt]s$/.test(e.name)) continue;
      out.push(full);
      if (e.isDirectory() && e.name !== "node_modules") walk(full, depth + 1);
    }
  };
  walk(dir, 0);
  // handlers/node_modules (the user's own npm install): its record of what is installed.
  const installed = join(dir, "node_modules", ".package-lock.json");
  if (existsSync(installed)) out.push(sha(readFileSync(installed)));
  return out.sort().join("\0");
}

export class BundleCache {
  private readonly dir: string;
  private readonly key: string;
  private index: Index;
  private readonly hashes = new Map<string, string | undefined>();

  constructor(
    private readonly root: string,
    handlersDir: string,
    stubs: Set<string>,
    outputDir: string,
    esbuildVersion: string,
    private readonly deps: string | undefined,
    private readonly memory: Map<string, string>,
  ) {
    this.dir = join(cacheRoot(), "bundles", sha(`${resolve(outputDir)}`).slice(0, 32));
    this.key = sha([CACHE_FORMAT, esbuildVersion, root, deps ?? "", listing(handlersDir, stubs)].join("\0"));
    this.index = { key: this.key, functions: {} };
    try {
      const read = JSON.parse(readFileSync(join(this.dir, "index.json"), "utf8")) as Index;
      if (read.key === this.key && read.functions && typeof read.functions === "object") this.index = read;
    } catch {
      // no cache yet, or unreadable: everything is built
    }
  }

  private hashOf(input: string): string | undefined {
    if (this.hashes.has(input)) return this.hashes.get(input);
    const file = isAbsolute(input) ? input : join(this.root, input);
    let hash: string | undefined;
    const inMemory = this.memory.get(file);
    if (inMemory !== undefined) hash = sha(inMemory);
    else {
      try {
        hash = sha(readFileSync(file));
      } catch {
        hash = undefined;
      }
    }
    this.hashes.set(input, hash);
    return hash;
  }

  private isDependency(input: string): boolean {
    return !!this.deps && join(this.root, input).startsWith(this.deps + sep);
  }

  /** The kept bundle of `name` when nothing it was built from changed. */
  get(name: string): Uint8Array | undefined {
    const entry = this.index.functions[name];
    if (!entry) return undefined;
    for (const [input, hash] of Object.entries(entry.inputs)) if (this.hashOf(input) !== hash) return undefined;
    try {
      const bytes = readFileSync(join(this.dir, `${name}.mjs`));
      return sha(bytes) === entry.out ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  /** Records a bundle just built from `inputs` (metafile paths). */
  set(name: string, bytes: Uint8Array, inputs: string[]): void {
    const recorded: Record<string, string> = {};
    for (const input of inputs) {
      if (this.isDependency(input)) continue;
      const hash = this.hashOf(input);
      if (!hash) return; // an input picofun cannot read again: not kept, built again next time
      recorded[input] = hash;
    }
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, `${name}.mjs`), bytes);
    this.index.functions[name] = { inputs: recorded, out: sha(bytes) };
  }

  /** Writes the index (after the bundles it names). */
  save(): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = join(this.dir, `index.json.tmp-${process.pid}`);
    writeFileSync(tmp, JSON.stringify(this.index));
    renameSync(tmp, join(this.dir, "index.json"));
  }
}
