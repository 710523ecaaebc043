import { createHash } from "node:crypto";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A short, stable suffix used to keep generated names unique. */
export function shortHash(text: string, length = 4): string {
  return sha256Hex(text).slice(0, length);
}
