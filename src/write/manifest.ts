import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic.js";

export const MANIFEST_FILE = ".picofun-manifest.json";

/** What picofun wrote into a folder last time: relative path -> sha256 of the bytes. */
export interface Manifest {
  version: 1;
  files: Record<string, string>;
  /**
   * Written before a run changes anything: hashes of what that run is about to write. When
   * the run is interrupted, the next one still knows those files are picofun's (not hand
   * edits) and finishes the job. A run that completes writes the manifest without it.
   */
  pending?: Record<string, string>;
  /** Fingerprint of the inputs of the generation that wrote these files (see pipeline/inputKey.ts). */
  input?: string;
  /** What that generation reported, so an unchanged re-run can report it again. */
  summary?: ManifestSummary;
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
      if (data.pending !== undefined && (typeof data.pending !== "object" || data.pending === null)) delete data.pending;
      return data;
    }
  } catch {
    // missing or unreadable: treated as a first run
  }
  return undefined;
}

export function writeManifest(dir: string, manifest: Manifest): void {
  const sort = (map: Record<string, string>) => {
    const sorted: Record<string, string> = {};
    for (const key of Object.keys(map).sort()) sorted[key] = map[key];
    return sorted;
  };
  const data: Manifest = { version: 1, input: manifest.input, summary: manifest.summary, files: sort(manifest.files) };
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
