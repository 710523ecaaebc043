import { lintDocument } from "../api/lint/index.js";
import { assignOperationIds, listOperations, nameOperations, opKey, type OperationNames } from "../api/operationIds.js";
import { stubData, stubExtension, stubLanguage } from "../api/stubs.js";
import { authorizerNames, authorizerStubData } from "../api/authorizerStubs.js";
import { keepOperations } from "../api/prune.js";
import { checkNesting } from "../api/depth.js";
import { securityModel, type SecurityModel } from "../api/security.js";
import { SECURITY_RULE } from "../api/lint/securityRule.js";
import { INTEGRATION_KEY, isPicofunIntegration, transformForApiGateway, type OperationPlan } from "../api/transform.js";
import type { SpecEdit } from "../api/updateSpec.js";
import { DISABLED_KEYWORDS, MAX_BODY_BYTES } from "../api/lint/rules.js";
import { walkSchemas } from "../api/schemas.js";
import type { PicofunConfig } from "../config/types.js";
import type { ApiModel, Endpoint } from "../model/types.js";
import { endpointKey } from "../model/types.js";
import type { LoadedSpec } from "../spec/load.js";
import { descriptionText, hclValue } from "../render/escape.js";
import { UserError } from "../util/errors.js";
import { definitionBasePath, permissionPath, resourcePrefixes } from "./apiPermissions.js";
import { namingDefaults, SHARED_LOG_GROUP_FROM } from "./terraformData.js";
import type { CopyJob, FilePlan, RenderJob, ZipJob } from "./types.js";
import { applyTypedHandlers, type TypedOperation } from "../handlers/apply.js";

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
  /** Edits `--update-spec` writes back into the spec file (operationIds, integrations, wrapped keywords). */
  specEdits: SpecEdit[];
}

export const API_TERRAFORM_FILES = ["versions.tf", "variables.tf", "main.tf", "iam.tf", "lambda.tf", "outputs.tf", "security.tf", "observability.tf"];

interface FunctionEntry {
  /** What the deployed name is made of (`${var.namespace}_{module}`): the function name after the namespace. */
  module: string;
  handler: string;
  zip: string;
  description: string;
  operation_id: string;
  /** Operations only: the method and path their Lambda permission is scoped to. */
  method?: string;
  path?: string;
}

/** `pets_CON` -> `CON`: the handler module can differ (`CON_op`, a file name Windows can hold). */
function nameSuffix(functionName: string, namespace: string): string {
  return functionName.slice(namespace.length + 1);
}

/** One summary line on what the gateway enforces. */
function securityNotes(model: SecurityModel): string[] {
  const all = [...model.operations.values()];
  const keyed = all.filter((a) => a.apiKeyScheme).length;
  const authorized = all.filter((a) => a.authorizer).length;
  const open = all.filter((a) => a.open).length;
  if (keyed + authorized === 0) return [];
  const parts = [`${authorized} behind an authorizer`, `${keyed} need the API key`, `${open} open`];
  return [`security enforced by API Gateway: ${parts.join(", ")} (of ${all.length} operations)`];
}
export const DEFINITION_FILE = "openapi.json.tftpl";

function description(e: Endpoint, operationId: string): string {
  return descriptionText(`${operationId}: ${e.method.toUpperCase()} ${e.path}`);
}

/** Lint findings that stop generation, and the warnings of the others (kept operations only). */
function checkKept(doc: Record<string, unknown>, input: ApiPlanInput): string[] {
  const { spec, config } = input;
  let lint: ReturnType<typeof lintDocument>;
  try {
    lint = lintDocument(doc, spec.version, Buffer.byteLength(JSON.stringify(doc)), spec.source.location);
  } catch (err) {
    if (err instanceof RangeError) throw new UserError(`${spec.source.location}: the document is nested too deeply for picofun to check (a schema thousands of levels deep?)`);
    throw err;
  }
  const optedOut = (f: { rule: string }) => f.rule === SECURITY_RULE && config.api.allowUnenforcedSecurity;
  const blocking = lint.findings.filter((f) => f.severity === "error" && !f.fixedByGenerate && !optedOut(f));
  if (blocking.length) {
    const f = blocking[0];
    const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more: run "picofun lint ${spec.source.location}")` : "";
    const what = f.rule === SECURITY_RULE ? "API Gateway cannot enforce the spec's security" : "API Gateway would reject the spec";
    const optOut = f.rule === SECURITY_RULE ? " (or set [api] allow_unenforced_security = true to generate it unprotected)" : "";
    throw new UserError(`${spec.source.location}: ${what}: ${f.rule} at ${f.pointer}: ${f.message}; fix: ${f.fix}${optOut}${more}`);
  }
  return lint.findings.filter((f) => !f.fixedByGenerate && !(f.rule === SECURITY_RULE)).map((f) => `${f.rule} ${f.pointer}: ${f.message}; fix: ${f.fix}`);
}

/** Plans an api generation: API definition, handler stubs (user-owned), zips and Terraform. */
export async function planApi(input: ApiPlanInput): Promise<ApiPlan> {
  const { spec, config, namespace } = input;
  const ops = listOperations(spec.doc).filter((o) => o.method !== "trace");
  // operationIds made from the whole spec, so they do not change with the allowlist.
  const ids = assignOperationIds(ops);
  const selectedAll = new Map(input.endpoints.map((e) => [endpointKey(e), e]));
  const selected = new Map(input.endpoints.filter((e) => e.method !== "trace").map((e) => [endpointKey(e), e]));
  // Only what the allowlist keeps is checked and transformed (and only it must not nest too deeply).
  const doc = keepOperations(spec.doc, new Set(selectedAll.keys()));
  checkNesting(doc, spec.source.location);
  const warnings = checkKept(doc, input);
  const notes: string[] = [];

  const chosen = ops.filter((o) => selected.has(opKey(o.method, o.path)));
  if (!chosen.length) throw new UserError(`${spec.source.location}: no operation API Gateway can serve (TRACE is not supported)`);
  const security = securityModel(doc, { userPools: config.api.cognitoUserPools, allowUnenforced: config.api.allowUnenforcedSecurity, keep: new Set(selected.keys()) });
  warnings.push(...security.warnings);
  const lambdaAuthorizers = security.authorizers.filter((a) => a.type === "token" || a.type === "request");
  const opIds = chosen.map((o) => ids.get(opKey(o.method, o.path))!);
  const authorizerIds = authorizerNames(lambdaAuthorizers.map((a) => a.scheme), new Set(opIds));
  const names = nameOperations([...opIds, ...authorizerIds.values()], namespace);

  const lang = stubLanguage(config.runtime);
  const ext = stubExtension(lang);
  const operations = new Map<string, OperationPlan>();
  const renders: RenderJob[] = [];
  const userOwned: RenderJob[] = [];
  const zips: ZipJob[] = [];
  const functionMap: Record<string, FunctionEntry> = {};
  const authorizerMap: Record<string, FunctionEntry> = {};
  const specEdits: SpecEdit[] = [];
  const own: string[] = [];
  const typed: TypedOperation[] = [];
  for (const o of chosen) {
    const key = opKey(o.method, o.path);
    const operationId = ids.get(key)!;
    const n: OperationNames = names.get(operationId)!;
    if (!o.declaredId) specEdits.push({ kind: "operationId", path: o.path, method: o.method, value: operationId });
    const existing = o.op[INTEGRATION_KEY];
    if (existing !== undefined && !isPicofunIntegration(existing, n.functionName)) {
      operations.set(key, { operationId });
      own.push(key);
      continue;
    }
    if (existing === undefined) specEdits.push({ kind: "integration", path: o.path, method: o.method, value: n.functionName });
    operations.set(key, { operationId, functionName: n.functionName });
    const file = `${n.module}.${ext}`;
    userOwned.push({ template: `api/handler.${ext}.hbs`, path: file, data: stubData(selected.get(key)!, operationId, n.functionName, lang) });
    const zip = `build/lambdas/${n.functionName}.zip`;
    zips.push({ path: zip, entries: [{ from: file, name: file }] });
    functionMap[n.functionName] = { handler: `${n.module}.handler`, zip, description: description(selected.get(key)!, operationId), operation_id: operationId, module: nameSuffix(n.functionName, namespace), method: o.method.toUpperCase(), path: permissionPath(o.path) };
    typed.push({ operationId, module: n.module, functionName: n.functionName, method: o.method, path: o.path, op: o.op, item: ((doc.paths ?? {}) as Record<string, Record<string, unknown>>)[o.path] ?? {} });
  }
  const copies: CopyJob[] = [];
  const beforeZips = config.api.language ? await applyTypedHandlers({ doc, ops: typed, config, renders, copies, userOwned, zips, functions: functionMap }) : undefined;
  if (own.length) notes.push(`${own.length} operation(s) keep the integration written in the spec (no function generated): ${own.join(", ")}`);
  if (!zips.length) throw new UserError(`${spec.source.location}: every operation has its own x-amazon-apigateway-integration; there is no function to generate`);

  const authorizerFunctions = new Map<string, string>();
  for (const a of lambdaAuthorizers) {
    const n = names.get(authorizerIds.get(a.scheme)!)!;
    authorizerFunctions.set(a.scheme, n.functionName);
    const guarded = [...security.operations.values()].filter((x) => x.authorizer === a.scheme).map((x) => `${x.key} (${operations.get(x.key)?.operationId ?? "?"}${x.specScopes.length ? `, scopes ${x.specScopes.join(" ")}` : ""})`);
    const file = `${n.module}.${ext}`;
    userOwned.push({ template: `api/authorizer.${ext}.hbs`, path: file, data: authorizerStubData(a, n.functionName, guarded, lang) });
    const zip = `build/lambdas/${n.functionName}.zip`;
    zips.push({ path: zip, entries: [{ from: file, name: file }] });
    const about = descriptionText(`authorizer ${a.scheme} (${a.credential})`);
    authorizerMap[n.functionName] = { module: nameSuffix(n.functionName, namespace), handler: `${n.module}.handler`, zip, description: about, operation_id: `authorizer:${a.scheme}` };
  }

  const result = transformForApiGateway({ doc, version: spec.version, operations, security, authorizerFunctions, userPools: config.api.cognitoUserPools, cors: config.api.cors });
  warnings.push(...result.warnings);
  notes.push(...result.notes);
  if (Buffer.byteLength(result.template) > MAX_BODY_BYTES) {
    throw new UserError(`the API definition is over API Gateway's 6 MB limit; split the API`);
  }
  specEdits.push(...wrapEdits(doc));
  renders.push({ template: "api/raw.hbs", path: DEFINITION_FILE, data: { content: result.template.replace(/\n$/, "") } });
  notes.push(...securityNotes(security));

  const sortedMap = (m: Record<string, FunctionEntry>) => Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]]));
  const info = (doc.info ?? {}) as Record<string, unknown>;
  const title = typeof info.title === "string" && info.title.trim() ? info.title.trim() : namespace;
  const tf = {
    functions: { locals: { functions: sortedMap(functionMap), authorizers: sortedMap(authorizerMap), api_key_required: security.apiKeyRequired } },
    defaults: {
      ...namingDefaults(namespace, Object.values(functionMap).map((f) => f.module)),
      sharedLogGroup: hclValue(Object.keys(functionMap).length >= SHARED_LOG_GROUP_FROM),
      resourcePrefixes: hclValue(resourcePrefixes(definitionBasePath(doc))),
      apiName: hclValue(title),
      stage: hclValue(config.api.stage),
      mode: hclValue(config.api.mode),
      basePath: hclValue(config.api.basePath),
      failOnWarnings: hclValue(config.api.failOnWarnings),
      executionRoleArn: hclValue(config.api.executionRoleArn ?? null),
      iamRolePrefix: hclValue(config.iamRolePrefix),
      rolePermissionsBoundary: hclValue(config.rolePermissionsBoundary ?? null),
      runtime: hclValue(config.runtime),
      architecture: hclValue(config.architecture),
      timeout: hclValue(Math.min(config.timeout, 29)),
      memorySize: hclValue(config.memorySize),
      layers: hclValue(config.layers),
      xrayTracing: hclValue(config.xrayTracing),
      logRetentionDays: hclValue(config.logRetentionDays),
      tags: hclValue(config.tags),
    },
  };
  for (const name of API_TERRAFORM_FILES) renders.push({ template: `api/terraform/${name}.hbs`, path: name, data: tf });
  renders.push({ template: "api/terraform/functions.tf.json.hbs", path: "functions.tf.json", data: tf });
  const apiId = config.api.apiId ?? (typeof doc["x-aws-api-id"] === "string" ? (doc["x-aws-api-id"] as string) : undefined);
  if (apiId) {
    if (!/^[a-z0-9]{10}$/.test(apiId)) throw new UserError(`x-aws-api-id "${apiId}" is not a REST API id (10 lowercase letters or digits)`);
    renders.push({ template: "api/terraform/import.tf.example.hbs", path: "import.tf.example", data: { apiId: hclValue(apiId) } });
    notes.push(`adopting REST API ${apiId}: copy the import block of import.tf.example into your root module`);
  }
  return { plan: { generator: "api", renders, copies, zips, userOwned, beforeZips, functionCount: Object.keys(functionMap).length }, notes, warnings, specEdits };
}

function wrapEdits(doc: Record<string, unknown>): SpecEdit[] {
  return wrapTargets(doc).map(([at, keyword]) => ({ kind: "wrap", at, keyword }) as SpecEdit);
}

function wrapTargets(doc: Record<string, unknown>): Array<[string[], string]> {
  const out: Array<[string[], string]> = [];
  walkSchemas(doc, (s, at) => {
    for (const kw of DISABLED_KEYWORDS) if (kw in s) out.push([at, kw]);
  });
  return out;
}
