import { DEFINITION_FILE } from "../../plan/api.js";
import { definitionBasePath, resourcePrefixes } from "../../plan/apiPermissions.js";
import type { FilePlan } from "../../plan/types.js";
import type { PicofunConfig } from "../../config/types.js";
import { ACCESS_LOG_FORMAT, STAGE_DEFAULTS } from "./stageData.js";
import { namespaceMax } from "./names.js";

type ApiFunction = { handler: string; zip: string; description: string; operation_id: string; method?: string; path?: string };

/** What the CDK construct of the api kind needs from the api plan. */
export interface ApiCdkInfo {
  title: string;
  /** The definition template (Terraform's): `${uris.NAME}` marks each integration and authorizer, `$${` a literal `${`. */
  template: string;
  functions: Record<string, ApiFunction>;
  /** The Lambda authorizers' functions (operation_id `authorizer:{scheme}`). */
  authorizers: Record<string, ApiFunction>;
  apiKeyRequired: boolean;
}

/** Reads the definition and the functions out of an api plan's renders. */
export function apiCdkInfo(plan: FilePlan, title: string): ApiCdkInfo {
  const definition = plan.renders.find((r) => r.path === DEFINITION_FILE);
  const functions = plan.renders.find((r) => r.path === "functions.tf.json");
  if (!definition || !functions) throw new Error("api plan without definition or functions");
  const locals = (functions.data as { functions: { locals: { functions: Record<string, ApiFunction>; authorizers?: Record<string, ApiFunction>; api_key_required?: boolean } } })
    .functions.locals;
  return {
    title,
    template: (definition.data as { content: string }).content,
    functions: locals.functions,
    authorizers: locals.authorizers ?? {},
    apiKeyRequired: locals.api_key_required === true,
  };
}

const MARKER = /^\$\{uris\.([^}]+)\}$/;
const AUTHORIZER = "x-amazon-apigateway-authorizer";

function unescape(text: string): string {
  return text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

function unescapeAll(v: unknown): unknown {
  if (typeof v === "string") return unescape(v);
  if (Array.isArray(v)) return v.map(unescapeAll);
  if (!v || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) out[unescape(k)] = unescapeAll(val);
  return out;
}

type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; components?: { securitySchemes?: Record<string, Record<string, unknown>> } };

/** Takes the `${uris.NAME}` integrations out of the definition: the construct fills them in. */
function takeIntegrations(doc: Doc, functions: Record<string, ApiFunction>) {
  const out: Array<{ path: string; method: string; function: string; permissionMethod: string; permissionPath: string }> = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {})) {
      const integration = op && typeof op === "object" ? (op["x-amazon-apigateway-integration"] as { uri?: unknown } | undefined) : undefined;
      const m = typeof integration?.uri === "string" ? MARKER.exec(integration.uri) : null;
      if (!m) continue;
      const f = functions[m[1]];
      if (!f) throw new Error(`integration of ${method} ${path} names no function (${m[1]})`);
      out.push({ path: unescape(path), method, function: m[1], permissionMethod: f.method ?? "*", permissionPath: f.path ?? "/*" });
      delete op["x-amazon-apigateway-integration"];
    }
  }
  return out.sort((a, b) => (a.function < b.function ? -1 : 1));
}

/** Takes the `${uris.NAME}` authorizer URIs out; lists the Cognito authorizers (their pools may be overridden). */
function takeAuthorizers(doc: Doc, authorizers: Record<string, ApiFunction>) {
  const lambda: Array<{ scheme: string; function: string }> = [];
  const cognito: string[] = [];
  for (const [scheme, s] of Object.entries(doc.components?.securitySchemes ?? {})) {
    const a = s?.[AUTHORIZER] as { authorizerUri?: unknown; type?: unknown } | undefined;
    if (!a) continue;
    if (a.type === "cognito_user_pools") cognito.push(unescape(scheme));
    const m = typeof a.authorizerUri === "string" ? MARKER.exec(a.authorizerUri) : null;
    if (!m) continue;
    if (!authorizers[m[1]]) throw new Error(`authorizer ${scheme} names no function (${m[1]})`);
    lambda.push({ scheme: unescape(scheme), function: m[1] });
    delete a.authorizerUri;
  }
  return { lambda: lambda.sort((a, b) => (a.scheme < b.scheme ? -1 : 1)), cognito: cognito.sort() };
}

function functionData(m: Record<string, ApiFunction>) {
  const out: Record<string, { handler: string; zip: string; description: string; operationId: string }> = {};
  for (const name of Object.keys(m).sort()) {
    const f = m[name];
    out[name] = { handler: f.handler, zip: f.zip, description: f.description, operationId: f.operation_id };
  }
  return out;
}

/**
 * lib/api.json of an api CDK app: the construct's defaults, the functions and authorizers, and
 * the definition as plain JSON with the integrations and authorizer URIs picofun wires listed
 * (the construct fills them in: no `${uris...}` marker is left in it).
 */
export function apiCdkData(config: PicofunConfig, namespace: string, info: ApiCdkInfo): Record<string, unknown> {
  const doc = JSON.parse(info.template) as Doc;
  const integrations = takeIntegrations(doc, info.functions);
  const authorizers = takeAuthorizers(doc, info.authorizers);
  const definition = unescapeAll(doc) as Record<string, unknown>;
  // In the escaped text a literal `${` of the spec is `$${`: what is left unescaped is a marker.
  const left = /(?<!\$)\$\{uris\.[^}]*\}/.exec(JSON.stringify(doc));
  if (left) throw new Error(`API definition still holds ${left[0]}`);
  return {
    namespace,
    functionNamePrefix: `${namespace}_`,
    namespaceMax: namespaceMax(namespace, [...Object.keys(info.functions), ...Object.keys(info.authorizers)]),
    defaults: {
      namespace,
      apiName: info.title,
      stageName: config.api.stage,
      mode: config.api.mode,
      basePath: config.api.basePath,
      failOnWarnings: config.api.failOnWarnings,
      endpointTypes: ["REGIONAL"],
      executionRoleArn: config.api.executionRoleArn ?? null,
      iamRolePrefix: config.iamRolePrefix,
      rolePermissionsBoundary: config.rolePermissionsBoundary ?? null,
      runtime: config.runtime,
      architecture: config.architecture,
      timeout: Math.min(config.timeout, 29),
      memorySize: config.memorySize,
      layers: config.layers,
      xrayTracing: config.xrayTracing,
      logRetentionDays: config.logRetentionDays,
      accessLogRetentionDays: config.logRetentionDays,
      retainLogs: true,
      functionsPerStack: 150,
      ...STAGE_DEFAULTS,
      cognitoUserPoolArns: config.api.cognitoUserPools,
      tags: { ...config.tags, generated_by: "picofun" },
      // Only with vpc_id, so the data of projects without a VPC stays as it was.
      ...(config.vpcId ? { vpcId: config.vpcId, subnets: config.subnets } : {}),
    },
    /** Resource path prefix API Gateway gives the definition's paths, per basePath mode. */
    resourcePrefixes: resourcePrefixes(definitionBasePath(doc as unknown as Record<string, unknown>)),
    apiKeyRequired: info.apiKeyRequired,
    accessLogFormat: ACCESS_LOG_FORMAT,
    functions: functionData(info.functions),
    authorizerFunctions: functionData(info.authorizers),
    integrations,
    authorizers: authorizers.lambda,
    cognitoAuthorizers: authorizers.cognito,
    definition,
  };
}
