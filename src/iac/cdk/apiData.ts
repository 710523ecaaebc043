import { DEFINITION_FILE } from "../../plan/api.js";
import type { FilePlan } from "../../plan/types.js";
import type { PicofunConfig } from "../../config/types.js";

type ApiFunction = { handler: string; zip: string; description: string; operation_id: string };

/** What the CDK construct of the api kind needs from the api plan. */
export interface ApiCdkInfo {
  title: string;
  /** The definition template (Terraform's): `${uris.NAME}` marks each integration, `$${` a literal `${`. */
  template: string;
  functions: Record<string, ApiFunction>;
}

/** Reads the definition and the functions out of an api plan's renders. */
export function apiCdkInfo(plan: FilePlan, title: string): ApiCdkInfo {
  const definition = plan.renders.find((r) => r.path === DEFINITION_FILE);
  const functions = plan.renders.find((r) => r.path === "functions.tf.json");
  if (!definition || !functions) throw new Error("api plan without definition or functions");
  return {
    title,
    template: (definition.data as { content: string }).content,
    functions: (functions.data as { functions: { locals: { functions: Record<string, ApiFunction> } } }).functions.locals.functions,
  };
}

const MARKER = /^\$\{uris\.([^}]+)\}$/;

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

/**
 * lib/api.json of an api CDK app: the construct's defaults, the functions, and the definition
 * as plain JSON with the integrations picofun wires listed (the construct fills their uri).
 */
export function apiCdkData(config: PicofunConfig, namespace: string, info: ApiCdkInfo): Record<string, unknown> {
  const doc = JSON.parse(info.template) as { paths: Record<string, Record<string, Record<string, unknown>>> };
  const integrations: Array<{ path: string; method: string; function: string }> = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {})) {
      const integration = op && typeof op === "object" ? (op["x-amazon-apigateway-integration"] as { uri?: unknown } | undefined) : undefined;
      const m = typeof integration?.uri === "string" ? MARKER.exec(integration.uri) : null;
      if (m && info.functions[m[1]]) {
        integrations.push({ path: unescape(path), method, function: m[1] });
        delete op["x-amazon-apigateway-integration"];
      }
    }
  }
  const functions: Record<string, { handler: string; zip: string; description: string; operationId: string }> = {};
  for (const name of Object.keys(info.functions).sort()) {
    const f = info.functions[name];
    functions[name] = { handler: f.handler, zip: f.zip, description: f.description, operationId: f.operation_id };
  }
  return {
    namespace,
    functionNamePrefix: `${namespace}_`,
    defaults: {
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
      tags: { ...config.tags, generated_by: "picofun" },
    },
    functions,
    integrations: integrations.sort((a, b) => (a.function < b.function ? -1 : 1)),
    definition: unescapeAll(doc),
  };
}
