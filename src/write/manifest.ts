import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic.js";

export const MANIFEST_FILE = ".picofun-manifest.json";

/** What picofun wrote into a folder last time: relative path -> sha256 of the bytes. */
export interface Manifest {
  version: 1;
  files: Record<string, string>;
  /**
   * Written before a run changes anything: for each path, every content picofun may have left
   * there since the last run that completed (what this run is about to write, added to what
   * interrupted runs before it were about to write). However many runs are killed in a row,
   * with whatever specs, the next one still knows those files are picofun's (not hand edits)
   * and finishes the job. A run that completes writes the manifest without it.
   */
  pending?: Record<string, string[]>;
  /** Fingerprint of the inputs of the generation that wrote these files (see pipeline/inputKey.ts). */
  input?: string;
  /** What that generation reported, so an unchanged re-run can report it again. */
  summary?: ManifestSummary;
  /** Its options and input fingerprint, for the commands that run the output (pipeline/lastGeneration.ts reads it). */
  generation?: unknown;
}

export interface ManifestSummary {
  title: string;
  kind: string;
  functionCount: number;
  notes: string[];
  warnings: string[];
}

export function readManifest(dir: string): Manifest | undefined {
  try {
    const data = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8")) as Manifest;
    if (data && data.version === 1 && data.files && typeof data.files === "object") {
      data.pending = pendingOf(data.pending);
      if (!data.pending) delete data.pending;
      return data;
    }
  } catch {
    // missing or unreadable: treated as a first run
  }
  return undefined;
}

/** The pending map as lists of hashes (older manifests held one hash a path); undefined when unusable. */
function pendingOf(raw: unknown): Record<string, string[]> | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const out: Record<string, string[]> = {};
  for (const [rel, value] of Object.entries(raw as Record<string, unknown>)) {
    const list = (Array.isArray(value) ? value : [value]).filter((h): h is string => typeof h === "string");
    if (list.length) out[rel] = list;
  }
  return out;
}

/** Every hash picofun may have left at `rel`: the last completed run's and the pending ones. */
export function knownHashes(manifest: Manifest, rel: string): string[] {
  const last = manifest.files[rel];
  const pending = manifest.pending?.[rel] ?? [];
  return last === undefined ? pending : [last, ...pending];
}

export function writeManifest(dir: string, manifest: Manifest): void {
  const sort = <T>(map: Record<string, T>) => {
    const sorted: Record<string, T> = {};
    for (const key of Object.keys(map).sort()) sorted[key] = map[key];
    return sorted;
  };
  const data: Manifest = { version: 1, input: manifest.input, summary: manifest.summary, generation: manifest.generation, files: sort(manifest.files) };
  if (manifest.pending && Object.keys(manifest.pending).length) data.pending = sort(manifest.pending);
  const text = `${JSON.stringify(data, null, 1)}\n`;
  let current: string | undefined;
  try {
    current = readFileSync(join(dir, MANIFEST_FILE), "utf8");
  } catch {
    current = undefined;
  }
  if (current !== text) writeFileAtomic(join(dir, MANIFEST_FILE), text);
}
