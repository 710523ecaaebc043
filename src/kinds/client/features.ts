import { mergeContributions, type ClientContribution, type FeatureInput } from "./featureTypes.js";
import { authContribution } from "./auth/contribution.js";
import { runtimeContribution } from "./environment.js";
import { stepFunctionsContribution } from "./stepfunctions/contribution.js";

/** Every optional feature's contribution to a client generation, merged. */
export async function clientFeatures(input: FeatureInput): Promise<ClientContribution> {
  const parts: ClientContribution[] = [];
  parts.push(runtimeContribution(input.config));
  parts.push(authContribution(input));
  parts.push(stepFunctionsContribution(input));
  return mergeContributions(parts);
}
