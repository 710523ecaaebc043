import { planAuth } from "../../auth/contribution.js";
import { PLACEHOLDER, parameterTypes } from "../../auth/render.js";
import { writeBackTypes } from "../../auth/shapes.js";
import type { PicofunConfig } from "../../config/types.js";
import type { ApiModel, Endpoint } from "../../model/types.js";
import type { FunctionEntry } from "../../plan/terraformData.js";
import { namespaceMax } from "./names.js";

export interface ClientCdkInput {
  config: PicofunConfig;
  namespace: string;
  model: ApiModel;
  endpoints: Endpoint[];
  functions: FunctionEntry[];
  egressPorts: number[];
  /** Whether the auth feature contributed (some endpoint sends credentials). */
  auth: boolean;
}

/** The SSM prefix of the credential parameters ([auth] parameter_prefix). */
export function credentialsPrefix(config: PicofunConfig): string {
  return config.auth.parameterPrefix.replace(/\/+$/, "");
}

/** lib/functions.json of a client CDK app: the construct's defaults and its functions. */
export function clientCdkData(input: ClientCdkInput): Record<string, unknown> {
  const { config, namespace } = input;
  const functions: Record<string, { module: string; description: string; zip: string }> = {};
  for (const f of [...input.functions].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    functions[f.name] = { module: f.module, description: f.description, zip: f.zip };
  }
  const authPlan = input.auth ? planAuth({ model: input.model, endpoints: input.endpoints }) : undefined;
  const auth = authPlan
    ? {
        credentialTypes: parameterTypes(authPlan),
        writeBackTypes: writeBackTypes(authPlan),
        store: config.auth.store,
        ttlSeconds: Math.round(config.auth.ttlMinutes * 60),
        prefix: credentialsPrefix(config),
        placeholder: PLACEHOLDER,
      }
    : null;
  return {
    namespace,
    functionNamePrefix: `${namespace}_`,
    namespaceMax: namespaceMax(namespace, Object.keys(functions)),
    defaults: {
      iamRolePrefix: config.iamRolePrefix,
      rolePermissionsBoundary: config.rolePermissionsBoundary ?? null,
      layers: config.layers,
      includePowertoolsLayer: config.powertoolsLayer,
      powertoolsLayerVersion: 27,
      runtime: config.runtime,
      architecture: config.architecture,
      timeout: config.timeout,
      memorySize: config.memorySize,
      xrayTracing: config.xrayTracing,
      vpcId: config.vpcId ?? null,
      subnets: config.subnets,
      egressPorts: input.egressPorts,
      logRetentionDays: config.logRetentionDays,
      retainLogs: true,
      functionsPerStack: 200,
      authCredentialsTtl: Math.round(config.auth.ttlMinutes * 60),
      namespace,
      tags: { ...config.tags, generated_by: "picofun" },
    },
    auth,
    functions,
  };
}
