import type { PicofunConfig } from "../config/types.js";
import type { ApiModel, Endpoint } from "../model/types.js";
import type { NamedEndpoint } from "../naming/functionName.js";
import { mergeContributions, type ClientContribution } from "./types.js";
import { authContribution } from "../auth/contribution.js";
import { runtimeContribution } from "../runtime/environment.js";
import { stepFunctionsContribution } from "../stepfunctions/contribution.js";

export interface FeatureInput {
  model: ApiModel;
  endpoints: Endpoint[];
  config: PicofunConfig;
  namespace: string;
  /** The endpoints' names, when the caller has them already (else each feature names them). */
  named?: Map<Endpoint, NamedEndpoint>;
}

/** Every optional feature's contribution to a client generation, merged. */
export async function clientFeatures(input: FeatureInput): Promise<ClientContribution> {
  const parts: ClientContribution[] = [];
  parts.push(runtimeContribution(input.config));
  parts.push(authContribution(input));
  parts.push(stepFunctionsContribution(input));
  return mergeContributions(parts);
}
