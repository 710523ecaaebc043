import { createHash, hash } from "node:crypto";

/**
 * SHA-256 in hex. crypto.hash (Node 20.12 and later) hashes in one call without a Hash object,
 * which counts when thousands of small files are hashed in one run.
 */
export function sha256Hex(data: string | Uint8Array): string {
  return typeof hash === "function" ? hash("sha256", data, "hex") : createHash("sha256").update(data).digest("hex");
}

/** A short, stable suffix used to keep generated names unique. */
export function shortHash(text: string, length = 4): string {
  return sha256Hex(text).slice(0, length);
}
