import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic.js";

export const MANIFEST_FILE = ".picofun-manifest.json";

/** What picofun wrote into a folder last time: relative path -> sha256 of the bytes. */
export interface Manifest {
  version: 1;
  files: Record<string, string>;
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
    if (data && data.version === 1 && data.files && typeof data.files === "object") return data;
  } catch {
    // missing or unreadable: treated as a first run
  }
  return undefined;
}

export function writeManifest(dir: string, manifest: Manifest): void {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(manifest.files).sort()) sorted[key] = manifest.files[key];
  const text = `${JSON.stringify({ version: 1, input: manifest.input, summary: manifest.summary, files: sorted }, null, 1)}\n`;
  let current: string | undefined;
  try {
    current = readFileSync(join(dir, MANIFEST_FILE), "utf8");
  } catch {
    current = undefined;
  }
  if (current !== text) writeFileAtomic(join(dir, MANIFEST_FILE), text);
}
