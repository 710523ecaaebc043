import type { PicofunConfig } from "../config/types.js";
import { hclValue } from "../render/escape.js";

export interface FunctionEntry {
  /** Lambda function name (the map key). */
  name: string;
  module: string;
  description: string;
  zip: string;
}

/** Values for the Terraform templates: variable defaults are HCL literals made here, not in templates. */
export function terraformData(config: PicofunConfig, namespace: string, functions: FunctionEntry[], egressPorts: number[]) {
  const functionMap: Record<string, { module: string; description: string; zip: string }> = {};
  for (const f of [...functions].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    functionMap[f.name] = { module: f.module, description: f.description, zip: f.zip };
  }
  const tags = { ...config.tags, generated_by: "picofun" };
  return {
    // The function names are fixed when generating, so their log groups' prefix is too
    // (even when var.namespace is changed in Terraform).
    functions: { locals: { functions: functionMap, function_name_prefix: `${namespace}_` } },
    defaults: {
      namespace: hclValue(namespace),
      iamRolePrefix: hclValue(config.iamRolePrefix),
      rolePermissionsBoundary: hclValue(config.rolePermissionsBoundary ?? null),
      layers: hclValue(config.layers),
      powertoolsLayer: hclValue(config.powertoolsLayer),
      runtime: hclValue(config.runtime),
      architecture: hclValue(config.architecture),
      timeout: hclValue(config.timeout),
      memorySize: hclValue(config.memorySize),
      xrayTracing: hclValue(config.xrayTracing),
      vpcId: hclValue(config.vpcId ?? null),
      subnets: hclValue(config.subnets),
      egressPorts: hclValue(egressPorts),
      logRetentionDays: hclValue(config.logRetentionDays),
      tags: hclValue(tags),
    },
  };
}

/** `{ NAME = expression, ... }` on one line, keys sorted; values are HCL expressions made by picofun. */
export function hclObjectExpression(entries: Record<string, string>): string {
  const keys = Object.keys(entries).sort();
  if (!keys.length) return "{}";
  return `{ ${keys.map((k) => `${k} = ${entries[k]}`).join(", ")} }`;
}
