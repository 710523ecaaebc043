import type { DeployedFunction, DeploymentModel } from "../../deployment/model.js";
import { AUTHORIZER_KEY as AUTHORIZER, stableJson } from "../../deployment/definition.js";
import { ACCESS_LOG_FORMAT, STAGE_DEFAULTS } from "./stageData.js";
import { namespaceMax } from "./names.js";
import { lambdaTaskFiles } from "./tasks.js";

type Doc = { components?: { securitySchemes?: Record<string, Record<string, unknown>> } };

/** The Cognito authorizers' schemes (their pools may be overridden). */
function cognitoSchemes(doc: Doc): string[] {
  const out: string[] = [];
  for (const [scheme, s] of Object.entries(doc.components?.securitySchemes ?? {})) {
    const a = s?.[AUTHORIZER] as { type?: unknown } | undefined;
    if (a?.type === "cognito_user_pools") out.push(scheme);
  }
  return out.sort();
}

function functionData(list: DeployedFunction[]) {
  const out: Record<string, { handler: string; zip: string; description: string; operationId: string }> = {};
  for (const f of list) out[f.name] = { handler: f.handler!, zip: f.zip, description: f.description, operationId: f.operationId! };
  return out;
}

/**
 * lib/api.json of an api CDK app: the construct's defaults, the functions and authorizers, and
 * the model's definition as plain JSON with the integrations and authorizer URIs picofun wires
 * listed (the construct fills them in).
 */
export function apiCdkData(m: DeploymentModel): Record<string, unknown> {
  const { namespace, settings: s } = m;
  const api = m.api!;
  const byName = new Map(m.functions.map((f) => [f.name, f]));
  const integrations = api.integrations
    .map((i) => {
      const f = byName.get(i.function);
      if (!f) throw new Error(`integration of ${i.method} ${i.path} names no function (${i.function})`);
      return { path: i.path, method: i.method, function: i.function, permissionMethod: f.permission?.method ?? "*", permissionPath: f.permission?.path ?? "/*" };
    })
    .sort((a, b) => (a.function < b.function ? -1 : 1));
  const authorizers = [...api.authorizers].sort((a, b) => (a.scheme < b.scheme ? -1 : 1));
  // Keys sorted at every level, as API Gateway gets it from the Terraform module.
  const definition = JSON.parse(stableJson(api.definition)) as Record<string, unknown>;
  return {
    namespace,
    functionNamePrefix: `${namespace}_`,
    namespaceMax: namespaceMax(namespace, [...m.functions, ...api.authorizerFunctions].map((f) => f.name)),
    defaults: {
      namespace,
      apiName: api.title,
      stageName: api.stage.name,
      mode: api.stage.mode,
      basePath: api.stage.basePath,
      failOnWarnings: api.stage.failOnWarnings,
      endpointTypes: ["REGIONAL"],
      executionRoleArn: m.role.existingRoleArn ?? null,
      iamRolePrefix: m.role.namePrefix,
      rolePermissionsBoundary: m.role.permissionsBoundary,
      runtime: s.runtime,
      architecture: s.architecture,
      timeout: s.timeout,
      memorySize: s.memorySize,
      layers: s.layers,
      xrayTracing: s.xrayTracing,
      logRetentionDays: s.logRetentionDays,
      accessLogRetentionDays: s.logRetentionDays,
      retainLogs: true,
      functionsPerStack: 150,
      ...STAGE_DEFAULTS,
      cognitoUserPoolArns: api.cognitoUserPools,
      tags: { ...s.tags, generated_by: "picofun" },
      // Only with vpc_id, so the data of projects without a VPC stays as it was.
      ...(s.vpcId ? { vpcId: s.vpcId, subnets: s.subnets } : {}),
    },
    /** Resource path prefix API Gateway gives the definition's paths, per basePath mode. */
    resourcePrefixes: api.resourcePrefixes,
    apiKeyRequired: api.apiKeyRequired,
    accessLogFormat: ACCESS_LOG_FORMAT,
    functions: functionData(m.functions),
    authorizerFunctions: functionData(api.authorizerFunctions),
    integrations,
    authorizers,
    cognitoAuthorizers: cognitoSchemes(definition as Doc),
    role: { policies: m.role.policies },
    tasks: lambdaTaskFiles(m),
    definition,
  };
}
