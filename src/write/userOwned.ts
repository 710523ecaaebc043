import type { PicofunConfig } from "../config/types.js";
import type { FilePlan } from "../plan/types.js";

/** Writes files that belong to the user once created (only when missing). */
export async function writeUserOwned(_plan: FilePlan, _rendered: Map<string, string>, _config: PicofunConfig): Promise<string[]> {
  return [];
}
