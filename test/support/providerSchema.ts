import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { terraform } from "./terraform.js";

/** One block of `terraform providers schema -json` (attributes and nested block types). */
export interface SchemaBlock {
  attributes?: Record<string, { deprecated?: boolean }>;
  block_types?: Record<string, { block: SchemaBlock }>;
  deprecated?: boolean;
}

export interface AwsSchema {
  resources: Record<string, { block: SchemaBlock }>;
  dataSources: Record<string, { block: SchemaBlock }>;
}

/** The schema of the AWS provider a root module was initialised with (the local mirror's 5.100). */
export async function awsProviderSchema(root: string): Promise<AwsSchema> {
  const res = await terraform(["providers", "schema", "-json"], root);
  if (res.code !== 0) throw new Error(res.out);
  const all = JSON.parse(res.out) as {
    provider_schemas: Record<string, { resource_schemas: AwsSchema["resources"]; data_source_schemas: AwsSchema["dataSources"] }>;
  };
  const aws = all.provider_schemas["registry.terraform.io/hashicorp/aws"];
  return { resources: aws.resource_schemas, dataSources: aws.data_source_schemas };
}

/** A resource or data source as the plan sees it: what it sets, by dotted path (blocks end in `{}`). */
export interface UsedBlock {
  address: string;
  mode: "managed" | "data";
  type: string;
  /** Arguments and blocks given a value: the configuration's top-level arguments and every non-empty value the plan holds. */
  paths: Set<string>;
}

interface Expressions {
  [name: string]: unknown;
}

interface ConfigModule {
  resources?: Array<{ address: string; mode: "managed" | "data"; type: string; expressions?: Expressions }>;
  module_calls?: Record<string, { module: ConfigModule }>;
}

/** Every resource and data source of a saved plan's JSON (`terraform show -json`), with what it sets. */
export function usedBlocks(planJson: string, schema: AwsSchema): UsedBlock[] {
  const plan = JSON.parse(planJson) as {
    configuration: { root_module: ConfigModule };
    resource_changes?: Array<{ address: string; mode: "managed" | "data"; type: string; change: { after: Record<string, unknown> | null } }>;
  };
  const byType = new Map<string, UsedBlock>();
  const entry = (mode: "managed" | "data", type: string, address: string): UsedBlock => {
    const key = `${mode}:${type}`;
    let e = byType.get(key);
    if (!e) byType.set(key, (e = { address, mode, type, paths: new Set() }));
    return e;
  };
  // The configuration lists the arguments written in each block (dynamic blocks are not in it).
  const walkConfig = (m: ConfigModule, prefix: string) => {
    for (const r of m.resources ?? []) {
      const e = entry(r.mode, r.type, prefix + r.address);
      for (const name of Object.keys(r.expressions ?? {})) e.paths.add(name);
    }
    for (const [name, call] of Object.entries(m.module_calls ?? {})) walkConfig(call.module, `${prefix}module.${name}.`);
  };
  walkConfig(plan.configuration.root_module, "");
  // The planned values also hold what dynamic blocks made, nested blocks included.
  for (const rc of plan.resource_changes ?? []) {
    const block = (rc.mode === "data" ? schema.dataSources : schema.resources)[rc.type]?.block;
    if (!block || !rc.change.after) continue;
    const e = entry(rc.mode, rc.type, rc.address);
    collect(block, rc.change.after, "", e.paths);
  }
  return [...byType.values()];
}

function empty(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0);
}

function collect(block: SchemaBlock, values: Record<string, unknown>, prefix: string, out: Set<string>): void {
  for (const [name, value] of Object.entries(values)) {
    if (empty(value)) continue;
    const nested = block.block_types?.[name];
    if (!nested) {
      out.add(prefix + name);
      continue;
    }
    out.add(`${prefix}${name}{}`);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item && typeof item === "object") collect(nested.block, item as Record<string, unknown>, `${prefix}${name}.`, out);
    }
  }
}

/** The schema entry at a dotted path (`settings.logging_level`, `canary_settings{}`), or undefined. */
export function schemaAt(block: SchemaBlock, path: string): { deprecated?: boolean } | undefined {
  const parts = path.replace(/\{\}$/, "").split(".");
  let current: SchemaBlock = block;
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const nested = current.block_types?.[parts[i]];
    if (nested) {
      if (last) return nested.block;
      current = nested.block;
      continue;
    }
    return last ? current.attributes?.[parts[i]] : undefined;
  }
  return undefined;
}

/** An attribute read from a resource or data source in a module's text: `data.aws_region.current.id`. */
export interface Reference {
  file: string;
  mode: "managed" | "data";
  type: string;
  attribute: string;
  text: string;
}

/** Every `aws_*` attribute reference in the .tf and .tf.json files of a folder (expressions live in locals too, which the plan JSON leaves out). */
export function attributeReferences(dir: string): Reference[] {
  const out: Reference[] = [];
  const re = /\b(data\.)?(aws_[a-z0-9_]+)\.([a-z0-9_]+)(\[[^\]\n]*\])?\.([a-z_][a-z0-9_]*)/g;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".tf") || f.endsWith(".tf.json"))) {
    for (const m of readFileSync(join(dir, file), "utf8").matchAll(re)) {
      out.push({ file, mode: m[1] ? "data" : "managed", type: m[2], attribute: m[5], text: m[0] });
    }
  }
  return out;
}
