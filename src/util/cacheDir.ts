import { homedir } from "node:os";
import { join } from "node:path";

/** Where picofun keeps things between runs: $PICOFUN_CACHE_DIR, else the user's cache folder. */
export function cacheRoot(): string {
  if (process.env.PICOFUN_CACHE_DIR) return process.env.PICOFUN_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "picofun");
}
