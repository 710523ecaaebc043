/**
 * esbuild is skipped for a function whose bundle inputs are unchanged. The bundles are kept in the
 * cache folder (`bundles/<project>/`: one pack file of them all, so a big project writes one file,
 * not one per function, and an index) with what each was built from: the content
 * hashes of every file esbuild read for it (the stub, the glue it imports, shared modules,
 * dependencies outside the installed ones) and a key of the rest (esbuild's version, the build
 * options, the installed dependencies' folder, the names of the files in the handlers folder
 * other than stubs and tests, so a new file that could change what an import resolves to rebuilds
 * everything).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve, sep } from "node:path";
import { cacheRoot } from "../util/cacheDir.js";
import { walkEntries } from "../util/walkEntries.js";

/** Bump when the bundle options or the way inputs are recorded change. */
const CACHE_FORMAT = "1";

interface Entry {
  /** Input file (relative to the project, as esbuild's metafile names it) -> sha256. */
  inputs: Record<string, string>;
  /** sha256 of the bundle, and where it is in the pack. */
  out: string;
  offset: number;
  length: number;
}

interface Index {
  key: string;
  functions: Record<string, Entry>;
}

const sha = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** The names under the handlers folder (not node_modules' content, not hidden ones), sorted: what resolution can see. */
function listing(dir: string, skip: Set<string>): string {
  const out: string[] = [];
  walkEntries(dir, (e, full) => {
    if (e.name.startsWith(".") && e.name !== ".package-lock.json") return false;
    // Stubs and tests: a new operation's stub or a new test changes no other function's imports.
    if (skip.has(full) || /\.(test|spec)\.[cm]?[jt]s$/.test(e.name)) return false;
    out.push(full);
    return e.name !== "node_modules";
  });
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
  private pack: Buffer | undefined;
  /** What the next index holds: the bundles kept this run and the ones built. */
  private readonly next = new Map<string, { bytes: Uint8Array; inputs: Record<string, string> }>();
  private changed = false;

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
      this.pack ??= readFileSync(join(this.dir, "bundles.pack"));
    } catch {
      return undefined;
    }
    const bytes = this.pack.subarray(entry.offset, entry.offset + entry.length);
    if (bytes.length !== entry.length || sha(bytes) !== entry.out) return undefined;
    this.next.set(name, { bytes, inputs: entry.inputs });
    return bytes;
  }

  /** Records a bundle just built from `inputs` (metafile paths). */
  set(name: string, bytes: Uint8Array, inputs: string[]): void {
    this.changed = true;
    const recorded: Record<string, string> = {};
    for (const input of inputs) {
      if (this.isDependency(input)) continue;
      const hash = this.hashOf(input);
      if (!hash) return; // an input picofun cannot read again: not kept, built again next time
      recorded[input] = hash;
    }
    this.next.set(name, { bytes, inputs: recorded });
  }

  /** Writes the pack, then the index that points into it (a torn pair fails the hash check: rebuilt). */
  save(): void {
    if (!this.changed) return;
    mkdirSync(this.dir, { recursive: true });
    const functions: Record<string, Entry> = {};
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (const [name, { bytes, inputs }] of [...this.next].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      functions[name] = { inputs, out: sha(bytes), offset, length: bytes.length };
      parts.push(bytes);
      offset += bytes.length;
    }
    const put = (file: string, data: string | Uint8Array) => {
      const tmp = join(this.dir, `${file}.tmp-${process.pid}`);
      writeFileSync(tmp, data);
      renameSync(tmp, join(this.dir, file));
    };
    put("bundles.pack", Buffer.concat(parts));
    put("index.json", JSON.stringify({ key: this.key, functions } satisfies Index));
  }
}
