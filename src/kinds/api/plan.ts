import { lintDocument } from "./lint/index.js";
import { assignOperationIds, listOperations, nameOperations, opKey, type OperationNames } from "./operationIds.js";
import { stubData, stubExtension, stubLanguage } from "./stubs/stubs.js";
import { authorizerNames, authorizerStubData } from "./stubs/authorizerStubs.js";
import { keepOperations } from "./gateway/prune.js";
import { checkNesting } from "../../spec/depth.js";
import { securityModel, type SecurityModel } from "./gateway/security.js";
import { checkOpenOperations } from "./openOperations.js";
import { SECURITY_RULE } from "./lint/securityRule.js";
import { OPEN_RULE } from "./lint/openRule.js";
import { importTimeUri, INTEGRATION_KEY, isPicofunIntegration, transformForApiGateway, wiredDefinition, type OperationPlan } from "./gateway/transform.js";
import type { SpecEdit } from "./updateSpec.js";
import { DISABLED_KEYWORDS, MAX_BODY_BYTES } from "./lint/rules.js";
import { walkSchemas } from "../../spec/schemas.js";
import type { PicofunConfig } from "../../config/types.js";
import type { ApiModel, Endpoint } from "../../model/types.js";
import { endpointKey } from "../../model/types.js";
import type { LoadedSpec } from "../../spec/load.js";
import { descriptionText } from "../../render/escape.js";
import { UserError } from "../../util/errors.js";
import { definitionBasePath, permissionPath, resourcePrefixes } from "./permissions.js";
import { SHARED_LOG_GROUP_FROM, type DeployedFunction, type DeploymentModel } from "../../deployment/model.js";
import { apiOutputs } from "../../deployment/outputs.js";
import { functionRolePolicies } from "../../deployment/role.js";
import type { CopyJob, RenderJob, ZipJob } from "../../deployment/files.js";
import { applyTypedHandlers, type TypedOperation } from "../../handlers/apply.js";

export interface ApiPlanInput {
  spec: LoadedSpec;
  model: ApiModel;
  endpoints: Endpoint[];
  config: PicofunConfig;
  namespace: string;
}

export interface ApiPlan {
  model: DeploymentModel;
  warnings: string[];
  /** Edits `--update-spec` writes back into the spec file (operationIds, integrations, wrapped keywords). */
  specEdits: SpecEdit[];
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
  // Open operations are reported by checkOpenOperations, which knows [api] public_operations.
  return lint.findings.filter((f) => !f.fixedByGenerate && f.rule !== SECURITY_RULE && f.rule !== OPEN_RULE).map((f) => `${f.rule} ${f.pointer}: ${f.message}; fix: ${f.fix}`);
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
  warnings.push(...checkOpenOperations(security, [...selected.values()], { publicOperations: config.api.publicOperations, strict: config.api.strict, location: spec.source.location }));
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
  const functions: DeployedFunction[] = [];
  const authorizerFunctionList: DeployedFunction[] = [];
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
    functions.push({ name: n.functionName, handler: `${n.module}.handler`, zip, description: description(selected.get(key)!, operationId), operationId, module: nameSuffix(n.functionName, namespace), permission: { method: o.method.toUpperCase(), path: permissionPath(o.path) } });
    typed.push({ operationId, module: n.module, functionName: n.functionName, method: o.method, path: o.path, op: o.op, item: ((doc.paths ?? {}) as Record<string, Record<string, unknown>>)[o.path] ?? {} });
  }
  const copies: CopyJob[] = [];
  const beforeZips = config.api.language ? await applyTypedHandlers({ doc, ops: typed, config, renders, copies, userOwned, zips, functions: Object.fromEntries(functions.map((f) => [f.name, f])) }) : undefined;
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
    authorizerFunctionList.push({ name: n.functionName, module: nameSuffix(n.functionName, namespace), handler: `${n.module}.handler`, zip, description: about, operationId: `authorizer:${a.scheme}` });
  }

  const result = transformForApiGateway({ doc, version: spec.version, operations, security, authorizerFunctions, userPools: config.api.cognitoUserPools, cors: config.api.cors });
  warnings.push(...result.warnings);
  notes.push(...result.notes);
  // What API Gateway imports: the definition with the invoke URIs it resolves at import time.
  if (Buffer.byteLength(wiredDefinition(result, importTimeUri)) > MAX_BODY_BYTES) {
    throw new UserError(`the API definition is over API Gateway's 6 MB limit; split the API`);
  }
  specEdits.push(...wrapEdits(doc));
  notes.push(...securityNotes(security));

  const byName = (a: DeployedFunction, b: DeployedFunction) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const info = (doc.info ?? {}) as Record<string, unknown>;
  const title = typeof info.title === "string" && info.title.trim() ? info.title.trim() : namespace;
  const apiId = config.api.apiId ?? (typeof doc["x-aws-api-id"] === "string" ? (doc["x-aws-api-id"] as string) : undefined);
  if (apiId) {
    if (!/^[a-z0-9]{10}$/.test(apiId)) throw new UserError(`x-aws-api-id "${apiId}" is not a REST API id (10 lowercase letters or digits)`);
    notes.push(`adopting REST API ${apiId}: copy the import block of import.tf.example into your root module`);
  }
  const model: DeploymentModel = {
    kind: "api",
    namespace,
    title: input.model.title,
    functions: functions.sort(byName),
    settings: {
      runtime: config.runtime,
      architecture: config.architecture,
      // API Gateway waits 29 s at most.
      timeout: Math.min(config.timeout, 29),
      memorySize: config.memorySize,
      layers: config.layers,
      xrayTracing: config.xrayTracing,
      logRetentionDays: config.logRetentionDays,
      sharedLogGroup: functions.length >= SHARED_LOG_GROUP_FROM,
      vpcId: config.vpcId ?? null,
      subnets: config.subnets,
      tags: config.tags,
      environment: {},
    },
    role: { namePrefix: config.iamRolePrefix, permissionsBoundary: config.rolePermissionsBoundary ?? null, existingRoleArn: config.api.executionRoleArn ?? null, policies: functionRolePolicies() },
    api: {
      title,
      definition: result.definition,
      integrations: result.integrations,
      authorizers: result.authorizers,
      authorizerFunctions: authorizerFunctionList.sort(byName),
      apiKeyRequired: security.apiKeyRequired,
      stage: { name: config.api.stage, mode: config.api.mode, basePath: config.api.basePath, failOnWarnings: config.api.failOnWarnings },
      cognitoUserPools: config.api.cognitoUserPools,
      resourcePrefixes: resourcePrefixes(definitionBasePath(doc)),
      apiId,
    },
    outputs: apiOutputs(),
    files: { generator: "api", renders, copies, zips, userOwned, beforeZips, functionCount: functions.length },
    notes,
  };
  return { model, warnings, specEdits };
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
