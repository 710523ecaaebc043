import type { Endpoint } from "../model/types.js";
import type { Allowlist } from "./allowlist.js";
import { compileGlob } from "./glob.js";

export type PathMatcher = (path: string) => boolean;

const cache = new Map<string, PathMatcher>();

/** `*` is one path segment, `**` any number; a pattern without wildcards matches itself only. */
export function pathMatcher(pattern: string): PathMatcher {
  let m = cache.get(pattern);
  if (!m) {
    if (!/[*?]/.test(pattern)) {
      m = (p) => p === pattern;
    } else {
      const glob = compileGlob(pattern);
      // "/users/**" means what is under /users: at least one more segment, not /users itself.
      const parent = pattern.endsWith("/**") ? pattern.slice(0, -3) : undefined;
      m = (p) => p === pattern || (glob(p) && p !== parent);
    }
    cache.set(pattern, m);
  }
  return m;
}

/** True when the endpoint matches any rule of the allowlist (OR logic). */
export function matchesAllowlist(endpoint: Endpoint, allow: Allowlist): boolean {
  if (endpoint.operationId && allow.operationIds.includes(endpoint.operationId)) return true;
  if (endpoint.tags.some((t) => allow.tags.includes(t))) return true;
  return allow.paths.some(
    (rule) => (!rule.methods.length || rule.methods.includes(endpoint.method)) && pathMatcher(rule.path)(endpoint.path),
  );
}

export function selectEndpoints(endpoints: Endpoint[], allow: Allowlist | undefined): Endpoint[] {
  return allow ? endpoints.filter((e) => matchesAllowlist(e, allow)) : endpoints;
}
