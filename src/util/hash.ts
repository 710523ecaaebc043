import { hash } from "node:crypto";

/**
 * SHA-256 in hex, through crypto.hash (Node 20.12 and later; picofun needs 20.19): one call
 * without a Hash object, which counts when thousands of small files are hashed in one run.
 */
export function sha256Hex(data: string | Uint8Array): string {
  return hash("sha256", data, "hex");
}

/** A short, stable suffix used to keep generated names unique. */
export function shortHash(text: string, length = 4): string {
  return sha256Hex(text).slice(0, length);
}
