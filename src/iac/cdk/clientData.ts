import type { DeploymentModel, ExampleWorkflow } from "../../deployment/model.js";
import { namespaceMax } from "./names.js";
import { lambdaTaskFiles } from "./tasks.js";

/** lib/functions.json of a client CDK app: the construct's defaults, its functions and credential stores. */
export function clientCdkData(m: DeploymentModel): Record<string, unknown> {
  const { namespace, settings: s } = m;
  const functions: Record<string, { module: string; description: string; zip: string }> = {};
  for (const f of m.functions) functions[f.name] = { module: f.module, description: f.description, zip: f.zip };
  const ttl = m.credentialsTtlSeconds ?? 0;
  const c = m.credentials;
  const auth = c
    ? {
        credentialTypes: c.types,
        writeBackTypes: c.writeBackTypes,
        store: c.store,
        ttlSeconds: ttl,
        prefix: c.prefix.replace(/\/+$/, ""),
        placeholder: c.placeholder,
      }
    : null;
  return {
    namespace,
    functionNamePrefix: `${namespace}_`,
    namespaceMax: namespaceMax(namespace, Object.keys(functions)),
    defaults: {
      iamRolePrefix: m.role.namePrefix,
      rolePermissionsBoundary: m.role.permissionsBoundary,
      layers: s.layers,
      includePowertoolsLayer: s.powertoolsLayer ?? false,
      powertoolsLayerVersion: 27,
      runtime: s.runtime,
      architecture: s.architecture,
      timeout: s.timeout,
      memorySize: s.memorySize,
      xrayTracing: s.xrayTracing,
      vpcId: s.vpcId,
      subnets: s.subnets,
      egressPorts: s.egressPorts ?? [],
      logRetentionDays: s.logRetentionDays,
      retainLogs: true,
      functionsPerStack: 200,
      authCredentialsTtl: ttl,
      namespace,
      tags: { ...s.tags, generated_by: "picofun" },
    },
    auth,
    role: { policies: m.role.policies },
    functions,
    tasks: lambdaTaskFiles(m),
    ...(m.stepFunctions?.example ? { example: exampleData(m.stepFunctions.example) } : {}),
  };
}

/** The example workflow ([stepfunctions] example) for lib/example.ts. */
function exampleData(e: ExampleWorkflow): Record<string, unknown> {
  return {
    definition: e.definition,
    summary: e.labels.join(" then "),
    // The Lambda steps: function (generated name) -> the definition's placeholder of its ARN.
    functions: Object.fromEntries(e.functions.map((f, i) => [f, e.placeholders[i]])),
    http: e.http ?? null,
  };
}
