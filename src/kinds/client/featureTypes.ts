import type { PicofunConfig } from "../../config/types.js";
import type { ApiModel, Endpoint } from "../../model/types.js";
import type { NamedEndpoint } from "../../naming/functionName.js";
import type { CredentialStores, EnvValue, Note, StepFunctionsModel } from "../../deployment/model.js";
import type { RenderJob } from "../../deployment/files.js";

/** What every feature is given: the model, the selected endpoints, the config. */
export interface FeatureInput {
  model: ApiModel;
  endpoints: Endpoint[];
  config: PicofunConfig;
  namespace: string;
  /** The endpoints' names, when the caller has them already (else each feature names them). */
  named?: Map<Endpoint, NamedEndpoint>;
}

/** What an optional feature (authentication, bundles, ...) adds to a client generation. */
export interface ClientContribution {
  /** Extra files rendered from templates (output-relative paths; no IaC: the emitters write that from the model). */
  renders?: RenderJob[];
  /** Files under output/layer/ (relative to it) that go into the layer zip, besides the runtime. */
  layerFiles?: string[];
  /** Environment variables for every function. */
  environment?: Record<string, EnvValue>;
  /** Security scheme names an endpoint's handler uses; () for none; undefined: leave the seam empty. */
  securityFor?: (e: Endpoint) => string[] | null | undefined;
  /** Lines for the end-of-run summary (e.g. how to store credentials). */
  notes?: Note[];
  /** The credential stores the functions read (authentication). */
  credentials?: CredentialStores;
  /** The Step Functions share of the deployment. */
  stepFunctions?: StepFunctionsModel;
}

export function mergeContributions(parts: ClientContribution[]): ClientContribution {
  const out: ClientContribution = { renders: [], layerFiles: [], environment: {}, notes: [] };
  for (const p of parts) {
    out.renders!.push(...(p.renders ?? []));
    out.layerFiles!.push(...(p.layerFiles ?? []));
    Object.assign(out.environment!, p.environment ?? {});
    out.notes!.push(...(p.notes ?? []));
    if (p.securityFor) out.securityFor = p.securityFor;
    if (p.credentials) out.credentials = p.credentials;
    if (p.stepFunctions) out.stepFunctions = p.stepFunctions;
  }
  return out;
}
