import { HTTP_METHODS, endpointKey, type ApiModel, type Endpoint } from "../model/types.js";
import type { Allowlist } from "../select/allowlist.js";
import { matchesAllowlist } from "../select/match.js";
import { UserError } from "../util/errors.js";
import { closest } from "../util/suggest.js";
import type { EndpointSubset } from "./answers.js";

/** The spec's tags with how many operations carry each, in first-seen order ("(untagged)" last). */
export function tagCounts(model: ApiModel): { tag: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of model.endpoints) for (const t of e.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([tag, count]) => ({ tag, count }));
}

function toAllowlist(subset: Omit<EndpointSubset, "count">): Allowlist {
  return { file: "include-endpoints.yaml", ...subset };
}

function finish(model: ApiModel, subset: Omit<EndpointSubset, "count">): EndpointSubset {
  const allow = toAllowlist(subset);
  return { ...subset, count: model.endpoints.filter((e) => matchesAllowlist(e, allow)).length };
}

export function subsetFromTags(model: ApiModel, tags: string[]): EndpointSubset {
  return finish(model, { paths: [], operationIds: [], tags: [...tags] });
}

/** One rule per picked endpoint: its operationId, or its method and exact path when it has none. */
export function subsetFromEndpoints(model: ApiModel, picked: Endpoint[]): EndpointSubset {
  const operationIds: string[] = [];
  const paths: EndpointSubset["paths"] = [];
  for (const e of picked) {
    if (e.operationId) operationIds.push(e.operationId);
    else paths.push({ path: e.path, methods: [e.method] });
  }
  return finish(model, { paths, operationIds, tags: [] });
}

/**
 * Turns `--endpoints` selectors into allowlist rules: `tag:NAME`, an operationId, `"METHOD /path"`
 * or a path glob (`*` one segment, `**` any) optionally prefixed by a method. Each selector must
 * match at least one endpoint.
 */
export function subsetFromSelectors(model: ApiModel, selectors: string[]): EndpointSubset {
  const subset: Omit<EndpointSubset, "count"> = { paths: [], operationIds: [], tags: [] };
  for (const raw of selectors) {
    const sel = raw.trim();
    if (!sel) continue;
    const one: Omit<EndpointSubset, "count"> = { paths: [], operationIds: [], tags: [] };
    const m = /^([A-Za-z]+)\s+(\/.*)$/.exec(sel);
    if (/^tag:/i.test(sel)) one.tags.push(sel.slice(4).trim());
    else if (m && (HTTP_METHODS as readonly string[]).includes(m[1].toLowerCase())) {
      one.paths.push({ path: m[2].trim(), methods: [m[1].toLowerCase()] });
    } else if (sel.startsWith("/")) one.paths.push({ path: sel, methods: [] });
    else one.operationIds.push(sel);
    const allow = toAllowlist(one);
    if (!model.endpoints.some((e) => matchesAllowlist(e, allow))) {
      const names = model.endpoints.flatMap((e) => [e.operationId ?? "", endpointKey(e)]).filter(Boolean);
      const near = closest(sel, names, 3);
      throw new UserError(`--endpoints: "${sel}" matches no endpoint of the spec${near.length ? ` (closest: ${near.join(", ")})` : ""}`);
    }
    subset.paths.push(...one.paths);
    subset.operationIds.push(...one.operationIds);
    subset.tags.push(...one.tags);
  }
  if (!subset.paths.length && !subset.operationIds.length && !subset.tags.length) {
    throw new UserError("--endpoints: give at least one selector (an operationId, \"GET /path\", a path glob or tag:NAME)");
  }
  return finish(model, subset);
}

/** The YAML text of include-endpoints.yaml for a subset. */
export async function allowlistYaml(subset: EndpointSubset): Promise<string> {
  const { stringify } = await import("yaml");
  const data: Record<string, unknown> = {};
  if (subset.paths.length) {
    data.paths = subset.paths.map((p) => (p.methods.length ? { path: p.path, methods: p.methods } : { path: p.path }));
  }
  if (subset.operationIds.length) data.operationIds = subset.operationIds;
  if (subset.tags.length) data.tags = subset.tags;
  const header = [
    "# Endpoints picofun generates functions for (an endpoint is included when it matches ANY rule).",
    "# paths: globs where * is one segment and ** any number; methods limit a path to some verbs.",
    "",
  ].join("\n");
  return header + stringify(data);
}
