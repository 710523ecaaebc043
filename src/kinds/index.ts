/** The kinds picofun generates, each in a folder of its own with the same entry points (types.ts). */
import type { Kind } from "../config/types.js";
import type { KindModule } from "./types.js";

/** A kind's module (loaded when used: only one runs per generation). */
export async function loadKind(kind: Kind): Promise<KindModule> {
  const modules: Record<Kind, () => Promise<KindModule>> = {
    client: async () => (await import("./client/index.js")).clientKind,
    api: async () => (await import("./api/index.js")).apiKind,
  };
  return modules[kind]();
}
