import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "./env.js";

export const ORDERS_SPEC = join(REPO, "examples", "orders", "openapi.yaml");

/** A fresh temporary folder, optionally seeded with the files of `from`. */
export function tempProject(from?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "picofun-test-"));
  if (from) cpSync(from, dir, { recursive: true });
  return dir;
}
