import type { PicofunConfig } from "../config/types.js";
import { LAMBDA_NAME_MAX } from "../naming/functionName.js";
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
  return {
    // Keys are the names picofun generated (stable resource addresses); the deployed names are
    // "${var.namespace}_${module}", made at plan time.
    functions: { locals: { functions: functionMap } },
    defaults: {
      ...namingDefaults(namespace, functions.map((f) => f.module)),
      sharedLogGroup: hclValue(functions.length >= SHARED_LOG_GROUP_FROM),
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
      tags: hclValue(config.tags),
    },
  };
}

/** From this many functions on, one shared log group is the default (about half the resources to plan). */
export const SHARED_LOG_GROUP_FROM = 200;

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
