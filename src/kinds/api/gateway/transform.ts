import { HTTP_METHODS } from "../../../model/types.js";
import { DISABLED_KEYWORDS, MODEL_NAME, RESPONSE_RANGE } from "../lint/rules.js";
import { opKey } from "../operationIds.js";
import { deref, isObject, walkSchemas } from "../../../spec/schemas.js";
import { applySecurity } from "./enforce.js";
import { applyCorsAndResponses, applyValidationAndBinary, type CorsConfig } from "./gateway.js";
import { AUTHORIZER_KEY, type SecurityModel } from "./security.js";
import { INTEGRATION_KEY } from "../../../deployment/definition.js";

export { INTEGRATION_KEY, integrationFor, stableJson, wiredDefinition } from "../../../deployment/definition.js";

export const DISABLED_KEY = "x-disabled-for-amazon-gateway";

/** What each operation becomes: its id and the function behind it (undefined: its own integration). */
export interface OperationPlan {
  operationId: string;
  functionName?: string;
}

export interface TransformInput {
  doc: Record<string, unknown>;
  version: string;
  /** "METHOD path" -> plan; operations not listed are left out of the definition. */
  operations: Map<string, OperationPlan>;
  /** What API Gateway enforces per operation; without it the spec's security passes through unchanged. */
  security?: SecurityModel;
  /** Lambda authorizer scheme -> its function name. */
  authorizerFunctions?: Map<string, string>;
  /** Cognito user pool ARNs of Cognito authorizers. */
  userPools?: string[];
  /** `[api.cors]`: OPTIONS mock operations and CORS headers on gateway responses. */
  cors?: CorsConfig;
}

export interface TransformResult {
  /** The definition as API Gateway takes it, without the integrations and authorizer URIs picofun wires. */
  definition: Record<string, unknown>;
  /** The operations whose integration invokes a generated function. */
  integrations: Array<{ path: string; method: string; function: string }>;
  /** The Lambda authorizers' schemes and functions. */
  authorizers: Array<{ scheme: string; function: string }>;
  warnings: string[];
  /** What the gateway now does on top of the spec (validators, preflight), for the summary. */
  notes: string[];
  /** Media types the API passes as binary. */
  binaryMediaTypes: string[];
}

/** The invoke URI in AWS import variables (no Terraform): what `--update-spec` writes to the spec. */
export function importTimeUri(functionName: string): string {
  return `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${functionName}/invocations`;
}

/** A picofun-made integration (so it may be refreshed), as opposed to one the user wrote. */
export function isPicofunIntegration(value: unknown, functionName: string): boolean {
  return isObject(value) && value.uri === importTimeUri(functionName) && String(value.type).toLowerCase() === "aws_proxy";
}

/** Moves discriminator, readOnly, example and xml of every schema into x-disabled-for-amazon-gateway. */
export function wrapDisabled(doc: Record<string, unknown>): number {
  let count = 0;
  walkSchemas(doc, (s) => {
    for (const kw of DISABLED_KEYWORDS) {
      if (!(kw in s)) continue;
      const box = isObject(s[DISABLED_KEY]) ? (s[DISABLED_KEY] as Record<string, unknown>) : {};
      box[kw] = s[kw];
      s[DISABLED_KEY] = box;
      delete s[kw];
      count++;
    }
  });
  return count;
}

/** OpenAPI 3.1 -> 3.0 where it is mechanical: `type: [T, "null"]` -> `nullable`, `const` -> `enum`, schema `examples` wrapped. */
function downconvert(doc: Record<string, unknown>, warnings: string[]): void {
  let changed = 0;
  walkSchemas(doc, (s) => {
    if (Array.isArray(s.type)) {
      const types = s.type.filter((t) => t !== "null");
      if (types.length === 1) {
        if (s.type.includes("null")) s.nullable = true;
        s.type = types[0];
        changed++;
      }
    }
    if ("const" in s) {
      s.enum = [s.const];
      delete s.const;
      changed++;
    }
    if ("examples" in s) {
      const box = isObject(s[DISABLED_KEY]) ? (s[DISABLED_KEY] as Record<string, unknown>) : {};
      box.examples = s.examples;
      s[DISABLED_KEY] = box;
      delete s.examples;
      changed++;
    }
  });
  for (const key of ["webhooks", "jsonSchemaDialect"]) {
    if (key in doc) {
      delete doc[key];
      warnings.push(`OpenAPI 3.1 "${key}" left out of the API definition`);
    }
  }
  warnings.push(`OpenAPI ${String(doc.openapi)} converted to 3.0.3 for API Gateway (${changed} schema change(s))`);
  doc.openapi = "3.0.3";
}

/** Renames models whose names are not alphanumeric and rewrites their `$ref`s. */
function renameModels(doc: Record<string, unknown>, warnings: string[]): void {
  if (!isObject(doc.components) || !isObject(doc.components.schemas)) return;
  const schemas = doc.components.schemas as Record<string, unknown>;
  const names = Object.keys(schemas);
  const taken = new Set(names.filter((n) => MODEL_NAME.test(n)));
  const renamed = new Map<string, string>();
  for (const name of names.filter((n) => !MODEL_NAME.test(n)).sort()) {
    const base =
      name
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join("") || "Model";
    let next = base;
    for (let n = 2; taken.has(next); n++) next = `${base}${n}`;
    taken.add(next);
    renamed.set(name, next);
    warnings.push(`model "${name}" renamed to "${next}" (API Gateway model names are alphanumeric)`);
  }
  if (!renamed.size) return;
  const rebuilt: Record<string, unknown> = {};
  for (const name of names) rebuilt[renamed.get(name) ?? name] = schemas[name];
  doc.components.schemas = rebuilt;
  const refFor = (n: string) => `#/components/schemas/${n.replace(/~/g, "~0").replace(/\//g, "~1")}`;
  const byRef = new Map([...renamed].map(([from, to]) => [refFor(from), refFor(to)]));
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      if (typeof node.$ref === "string" && byRef.has(node.$ref)) node.$ref = byRef.get(node.$ref);
      Object.values(node).forEach(visit);
    }
  };
  visit(doc);
}

function dropCookies(doc: Record<string, unknown>, holder: Record<string, unknown>, where: string, warnings: string[]): void {
  if (!Array.isArray(holder.parameters)) return;
  const kept = holder.parameters.filter((p) => deref(doc, p)?.in !== "cookie");
  if (kept.length === holder.parameters.length) return;
  warnings.push(`${where}: cookie parameter(s) left out (API Gateway ignores them)`);
  if (kept.length) holder.parameters = kept;
  else delete holder.parameters;
}

function fixResponses(op: Record<string, unknown>, where: string, warnings: string[]): void {
  const responses = isObject(op.responses) ? (op.responses as Record<string, unknown>) : {};
  for (const code of Object.keys(responses)) {
    if (RESPONSE_RANGE.test(code)) {
      delete responses[code];
      warnings.push(`${where}: response range ${code} left out (API Gateway needs specific codes)`);
    }
  }
  if ("default" in responses) {
    if ("200" in responses) warnings.push(`${where}: default response left out (the operation has a 200)`);
    else {
      responses["200"] = responses.default;
      warnings.push(`${where}: default response turned into 200`);
    }
    delete responses.default;
  }
  if (!Object.keys(responses).length) responses["200"] = { description: "OK" };
  op.responses = responses;
}

/**
 * The spec made fit for API Gateway, with the integrations and authorizers picofun wires listed
 * (each IaC emitter fills them in, `wiredDefinition`). The input document is not changed. Every
 * change is reported as a warning.
 */
export function transformForApiGateway(input: TransformInput): TransformResult {
  const doc = structuredClone(input.doc);
  const warnings: string[] = [];
  if (input.version === "3.1") downconvert(doc, warnings);
  renameModels(doc, warnings);
  delete doc["x-aws-api-id"];
  const paths = isObject(doc.paths) ? (doc.paths as Record<string, unknown>) : {};
  let omitted = 0;
  const wire: Array<[string, string, string]> = [];
  for (const path of Object.keys(paths)) {
    const item = deref(doc, paths[path]);
    if (!item) continue;
    paths[path] = item;
    dropCookies(doc, item, path, warnings);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const where = opKey(method, path);
      if (method === "trace") {
        delete item[method];
        warnings.push(`${where}: TRACE is not supported by API Gateway; left out`);
        continue;
      }
      const plan = input.operations.get(where);
      if (!plan) {
        delete item[method];
        omitted++;
        continue;
      }
      op.operationId = plan.operationId;
      dropCookies(doc, op, where, warnings);
      fixResponses(op, where, warnings);
      if (plan.functionName) {
        wire.push([path, method, plan.functionName]);
      }
    }
    if (!HTTP_METHODS.some((m) => isObject(item[m])) && !isObject(item["x-amazon-apigateway-any-method"])) delete paths[path];
  }
  if (omitted) warnings.push(`${omitted} operation(s) outside include_endpoints left out of the API definition`);
  const wired = input.security ? applySecurity(doc, input.security, input.userPools) : [];
  const { binary, validated } = applyValidationAndBinary(doc);
  const notes: string[] = [];
  if (validated) notes.push(`${validated} operation(s) get a request validator (API Gateway checks required parameters and body schemas)`);
  const { preflight } = applyCorsAndResponses(doc, input.cors);
  if (preflight) notes.push(`${preflight} path(s) get an OPTIONS operation answered by API Gateway (CORS preflight)`);
  const wrapped = wrapDisabled(doc);
  if (wrapped) warnings.push(`${wrapped} schema keyword(s) API Gateway rejects (discriminator, readOnly, example, xml) wrapped in ${DISABLED_KEY}`);
  const integrations = wire.map(([path, method, fn]) => {
    delete ((doc.paths as Record<string, Record<string, Record<string, unknown>>>)[path][method])[INTEGRATION_KEY];
    return { path, method, function: fn };
  });
  const schemes = ((doc.components ?? {}) as Record<string, unknown>).securitySchemes as Record<string, Record<string, Record<string, unknown>>> | undefined;
  const authorizers = wired.map((scheme) => {
    const fn = input.authorizerFunctions?.get(scheme);
    if (!fn) throw new Error(`no function for authorizer ${scheme}`);
    delete schemes![scheme][AUTHORIZER_KEY].authorizerUri;
    return { scheme, function: fn };
  });
  if (binary.length) notes.push(`binary media types: ${binary.join(", ")}`);
  return { definition: doc, integrations, authorizers, warnings, notes, binaryMediaTypes: binary };
}

