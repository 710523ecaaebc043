import type { DeploymentModel, EnvValue, DeployRef } from "../../deployment/model.js";
import { LAMBDA_NAME_MAX } from "../../naming/functionName.js";
import { hclString, hclValue } from "../../render/escape.js";
import { namesCredentials } from "../../deployment/role.js";
import { outputsIn } from "./outputs.js";
import { policyHcl } from "./role.js";

/** The Terraform expression of each deploy-time value the model refers to. */
const REFS: Record<DeployRef, string> = {
  credentialsTtl: "tostring(var.auth_credentials_ttl)",
  credentialsPrefix: "local.credentials_prefix",
  credentialsKeyArn: "local.credentials_key_arn",
};

function envExpression(v: EnvValue): string {
  return "literal" in v ? hclValue(v.literal) : REFS[v.ref];
}

/** Values for the client kind's Terraform templates: variable defaults are HCL literals made here, not in templates. */
export function clientTerraformData(m: DeploymentModel) {
  const s = m.settings;
  const functionMap: Record<string, { module: string; description: string; zip: string }> = {};
  for (const f of m.functions) functionMap[f.name] = { module: f.module, description: f.description, zip: f.zip };
  return {
    // Keys are the names picofun generated (stable resource addresses); the deployed names are
    // "${var.namespace}_${module}", made at plan time.
    functions: { locals: { functions: functionMap } },
    defaults: {
      ...namingDefaults(m.namespace, m.functions.map((f) => f.module)),
      sharedLogGroup: hclValue(s.sharedLogGroup),
      iamRolePrefix: hclValue(m.role.namePrefix),
      rolePermissionsBoundary: hclValue(m.role.permissionsBoundary),
      layers: hclValue(s.layers),
      powertoolsLayer: hclValue(s.powertoolsLayer ?? false),
      runtime: hclValue(s.runtime),
      architecture: hclValue(s.architecture),
      timeout: hclValue(s.timeout),
      memorySize: hclValue(s.memorySize),
      xrayTracing: hclValue(s.xrayTracing),
      vpcId: hclValue(s.vpcId),
      subnets: hclValue(s.subnets),
      egressPorts: hclValue(s.egressPorts ?? []),
      logRetentionDays: hclValue(s.logRetentionDays),
      tags: hclValue(s.tags),
    },
    policies: rolePolicies(m),
    outputs: outputsIn("outputs.tf", m),
    environment: hclObjectExpression(Object.fromEntries(Object.entries(s.environment).map(([k, v]) => [k, envExpression(v)]))),
  };
}

/** Data for templates/client/terraform/auth.tf.hbs (the credential stores). */
export function authTerraformData(m: DeploymentModel) {
  const c = m.credentials!;
  return {
    credentialTypes: hclValue(c.types),
    writeBackTypes: hclValue(c.writeBackTypes),
    writeBack: c.writeBackTypes.length > 0,
    secretsManager: c.store === "secretsmanager",
    ssm: c.store !== "secretsmanager",
    prefix: hclString(`${c.prefix}/`).slice(1, -1),
    defaultTtl: hclValue(m.credentialsTtlSeconds ?? 0),
    placeholder: hclString(c.placeholder),
    credentialsPolicy: m.role.policies
      .filter(namesCredentials)
      .map((p) => policyHcl(p, m.role, c.store))
      .join("\n\n"),
    outputs: outputsIn("auth.tf", m),
  };
}

/** iam.tf's policies: the role's, but those beside the credential stores (auth.tf). */
function rolePolicies(m: DeploymentModel): string[] {
  return m.role.policies.filter((p) => !namesCredentials(p)).map((p) => policyHcl(p, m.role));
}

/** Values for the api kind's Terraform templates. */
export function apiTerraformData(m: DeploymentModel) {
  const api = m.api!;
  const s = m.settings;
  const functions: Record<string, Record<string, string>> = {};
  for (const f of m.functions) {
    functions[f.name] = { handler: f.handler!, zip: f.zip, description: f.description, operation_id: f.operationId!, module: f.module, method: f.permission!.method, path: f.permission!.path };
  }
  const authorizers: Record<string, Record<string, string>> = {};
  for (const f of api.authorizerFunctions) {
    authorizers[f.name] = { module: f.module, handler: f.handler!, zip: f.zip, description: f.description, operation_id: f.operationId! };
  }
  return {
    functions: { locals: { functions, authorizers, api_key_required: api.apiKeyRequired } },
    policies: rolePolicies(m),
    outputs: outputsIn("outputs.tf", m),
    defaults: {
      ...namingDefaults(m.namespace, m.functions.map((f) => f.module)),
      sharedLogGroup: hclValue(s.sharedLogGroup),
      resourcePrefixes: hclValue(api.resourcePrefixes),
      apiName: hclValue(api.title),
      stage: hclValue(api.stage.name),
      mode: hclValue(api.stage.mode),
      basePath: hclValue(api.stage.basePath),
      failOnWarnings: hclValue(api.stage.failOnWarnings),
      executionRoleArn: hclValue(m.role.existingRoleArn ?? null),
      iamRolePrefix: hclValue(m.role.namePrefix),
      rolePermissionsBoundary: hclValue(m.role.permissionsBoundary),
      runtime: hclValue(s.runtime),
      architecture: hclValue(s.architecture),
      timeout: hclValue(s.timeout),
      memorySize: hclValue(s.memorySize),
      layers: hclValue(s.layers),
      xrayTracing: hclValue(s.xrayTracing),
      logRetentionDays: hclValue(s.logRetentionDays),
      tags: hclValue(s.tags),
      vpcId: hclValue(s.vpcId),
      subnets: hclValue(s.subnets),
    },
  };
}

/**
 * The namespace default and the longest namespace the suffixes leave room for: function names are
 * `{namespace}_{suffix}` within 64 characters.
 */
export function namingDefaults(namespace: string, suffixes: string[]) {
  const longest = suffixes.reduce((m, s) => Math.max(m, s.length), 0);
  return {
    namespace: hclValue(namespace),
    namespaceMax: String(LAMBDA_NAME_MAX - 1 - longest),
    longestSuffix: String(longest),
  };
}

/** `{ NAME = expression, ... }` on one line, keys sorted; values are HCL expressions made by picofun. */
export function hclObjectExpression(entries: Record<string, string>): string {
  const keys = Object.keys(entries).sort();
  if (!keys.length) return "{}";
  return `{ ${keys.map((k) => `${k} = ${entries[k]}`).join(", ")} }`;
}
