import type { PicofunConfig } from "../config/types.js";
import type { ApiModel, Endpoint } from "../model/types.js";
import type { LoadedSpec } from "../spec/load.js";
import { UserError } from "../util/errors.js";
import type { FilePlan } from "./types.js";

export interface ApiPlanInput {
  spec: LoadedSpec;
  model: ApiModel;
  endpoints: Endpoint[];
  config: PicofunConfig;
  namespace: string;
}

export interface ApiPlan {
  plan: FilePlan;
  notes: string[];
  warnings: string[];
}

/** kind = "api" is not built yet: say so clearly instead of generating something half-done. */
export async function planApi(_input: ApiPlanInput): Promise<ApiPlan> {
  throw new UserError('kind = "api" is not available in this version of picofun; use kind = "client"');
}
