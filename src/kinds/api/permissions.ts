/**
 * What the api kind's Lambda permissions are scoped to: `execute-api` ARNs end in
 * `/{stage}/{METHOD}/{resource path}`, where a path parameter matches as `*`.
 */

/** `/orders/{id}/items/{proxy+}` -> `/orders/* /items/*` (without the space). */
export function permissionPath(path: string): string {
  const p = path.replace(/\{[^}]*\}/g, "*");
  return p.startsWith("/") ? p : `/${p}`;
}

/** The base path of the definition (the first server URL's path), without a trailing slash. */
export function definitionBasePath(doc: Record<string, unknown>): string {
  const servers = Array.isArray(doc.servers) ? (doc.servers as unknown[]) : [];
  const first = servers[0] as { url?: unknown } | undefined;
  let path = "";
  if (first && typeof first.url === "string") {
    try {
      path = new URL(first.url, "https://host.invalid").pathname;
    } catch {
      path = "";
    }
  } else if (typeof doc.basePath === "string") {
    path = doc.basePath;
  }
  path = decodePercent(path).replace(/\{[^}]*\}/g, "*").replace(/\/+$/, "");
  return path === "" || path === "/" ? "" : path.startsWith("/") ? path : `/${path}`;
}

/**
 * The prefix API Gateway gives resource paths for each `base_path` mode: none (ignore), the whole base
 * path (prepend), or the base path without its first segment (split).
 */
export function resourcePrefixes(basePath: string): { ignore: string; prepend: string; split: string } {
  const rest = basePath.split("/").filter(Boolean).slice(1);
  return { ignore: "", prepend: basePath, split: rest.length ? `/${rest.join("/")}` : "" };
}

/** %-escapes decoded where they form UTF-8; a stray `%` (or a broken sequence) stays as it is. */
function decodePercent(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}
