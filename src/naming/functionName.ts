import { shortHash } from "../util/hash.js";
import type { Endpoint } from "../model/types.js";
import { endpointKey } from "../model/types.js";

export const LAMBDA_NAME_MAX = 64;

/**
 * `{method}_{path}`: the leading slash goes, `/`, `.` and `-` become `_`, braces are
 * dropped, and anything else a Lambda or Python name cannot hold becomes `_` too.
 */
export function baseName(method: string, path: string): string {
  const cleaned = path
    .replace(/^\/+/, "")
    .replace(/[{}]/g, "")
    .replace(/[/.-]/g, "_")
    .replace(/[^A-Za-z0-9_]/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+|_+$/g, "");
  return `${method.toLowerCase()}_${cleaned || "root"}`;
}

/** Cuts `name` so `{namespace}_{name}` fits in 64 characters, with a short hash of `key` when cut. */
export function fitName(name: string, namespace: string, key: string): string {
  const room = LAMBDA_NAME_MAX - namespace.length - 1;
  if (name.length <= room) return name;
  const suffix = shortHash(key, 4);
  return `${name.slice(0, room - suffix.length - 1).replace(/_+$/, "")}_${suffix}`;
}

export interface NamedEndpoint {
  endpoint: Endpoint;
  /** Python module / file stem: `get_orders_orderId`. */
  module: string;
  /** Lambda function name: `{namespace}_{module}`. */
  functionName: string;
}

/**
 * Names every endpoint. Names are unique even ignoring case (files must not clash on
 * case-insensitive disks); a clash is broken with a hash of "METHOD /path", in the order
 * of (path, method) so the result never depends on the order of the document.
 */
export function nameEndpoints(endpoints: Endpoint[], namespace: string): Map<Endpoint, NamedEndpoint> {
  const sorted = [...endpoints].sort((a, b) =>
    a.path === b.path ? (a.method < b.method ? -1 : a.method > b.method ? 1 : 0) : a.path < b.path ? -1 : 1,
  );
  const taken = new Set<string>();
  const out = new Map<Endpoint, NamedEndpoint>();
  for (const endpoint of sorted) {
    const key = endpointKey(endpoint);
    let module = fitName(baseName(endpoint.method, endpoint.path), namespace, key);
    for (let attempt = 0; taken.has(module.toLowerCase()); attempt++) {
      const suffix = shortHash(attempt ? `${key}#${attempt}` : key, attempt ? 8 : 4);
      const room = LAMBDA_NAME_MAX - namespace.length - 1 - suffix.length - 1;
      module = `${baseName(endpoint.method, endpoint.path).slice(0, room).replace(/_+$/, "")}_${suffix}`;
    }
    taken.add(module.toLowerCase());
    out.set(endpoint, { endpoint, module, functionName: `${namespace}_${module}` });
  }
  return out;
}
