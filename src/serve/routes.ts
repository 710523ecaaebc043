/**
 * The routes `picofun serve` answers: the operations the generated REST API has, with the same
 * operationIds, handler modules and base path rules (`[api] base_path`).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { typedEntry, type TypedEntry } from "../handlers/entry.js";
import { assignOperationIds, listOperations, opKey } from "../kinds/api/operationIds.js";
import type { SecurityModel } from "../kinds/api/gateway/security.js";
import { stubExtension, stubLanguage, type StubLanguage } from "../kinds/api/stubs/stubs.js";
import { INTEGRATION_KEY, isPicofunIntegration } from "../kinds/api/gateway/transform.js";
import type { PicofunConfig } from "../config/types.js";
import type { Endpoint } from "../model/types.js";
import { endpointKey } from "../model/types.js";
import { accessOf, moduleNames, type Access } from "./access.js";

export interface Route {
  /** Upper case. */
  method: string;
  /** The spec's path (API Gateway's resource), with the base path rule applied. */
  resource: string;
  /** The path as the spec writes it (no base path). */
  specPath: string;
  operationId: string;
  /** The handler module (file stem) in handlers_dir. */
  module: string;
  functionName: string;
  /** The handler file, or undefined when the operation keeps its own integration. */
  file?: string;
  lang: StubLanguage;
  /** Typed handlers: the generated entry point to run instead of the stub (src/handlers/entry.ts). */
  entry?: TypedEntry;
  access: Access;
  /** The operation object (parameters, requestBody) and its path item. */
  op: Record<string, unknown>;
  item: Record<string, unknown>;
  segments: Segment[];
}

type Segment = { literal: string } | { param: string; greedy: boolean };

/** The server URL's path, as API Gateway's base path rules use it. */
export function serverBasePath(doc: Record<string, unknown>): string {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = servers[0] as { url?: unknown } | undefined;
  if (!first || typeof first.url !== "string") return "";
  const url = first.url.replace(/\{[^}]*\}/g, "x");
  let path: string;
  try {
    path = new URL(url, "http://localhost").pathname;
  } catch {
    return "";
  }
  return path.replace(/\/+$/, "");
}

/** The prefix the deployed API puts before every spec path (ignore: none; prepend: all; split: all but the first segment). */
export function basePrefix(doc: Record<string, unknown>, mode: PicofunConfig["api"]["basePath"]): string {
  const base = serverBasePath(doc);
  if (mode === "prepend") return base;
  if (mode === "split") return base.split("/").filter(Boolean).slice(1).map((s) => `/${s}`).join("");
  return "";
}

function parseSegments(path: string): Segment[] {
  return path
    .split("/")
    .filter(Boolean)
    .map((seg) => {
      const m = /^\{([^}]+?)(\+?)\}$/.exec(seg);
      return m ? { param: m[1], greedy: m[2] === "+" } : { literal: seg };
    });
}

/**
 * Every route of the project, most specific first (literal segments before parameters, as API
 * Gateway matches); `security` is the model of the served operations (`servedSecurity`).
 */
export function buildRoutes(doc: Record<string, unknown>, endpoints: Endpoint[], config: PicofunConfig, namespace: string, security: SecurityModel): Route[] {
  const ops = listOperations(doc).filter((o) => o.method !== "trace");
  const ids = assignOperationIds(ops);
  const selected = new Set(endpoints.map((e) => endpointKey(e)));
  const chosen = ops.filter((o) => selected.has(opKey(o.method, o.path)));
  const { names, authorizers } = moduleNames(
    security,
    chosen.map((o) => ids.get(opKey(o.method, o.path))!),
    namespace,
  );
  const lang = stubLanguage(config.runtime);
  const prefix = basePrefix(doc, config.api.basePath);
  const paths = (doc.paths ?? {}) as Record<string, Record<string, unknown>>;
  const routes: Route[] = chosen.map((o) => {
    const operationId = ids.get(opKey(o.method, o.path))!;
    const n = names.get(operationId)!;
    const existing = o.op[INTEGRATION_KEY];
    const own = existing !== undefined && !isPicofunIntegration(existing, n.functionName);
    const resource = `${prefix}${o.path}` || "/";
    const entry = own ? undefined : typedEntry(config, n.module, n.functionName);
    return {
      method: o.method.toUpperCase(),
      resource,
      specPath: o.path,
      operationId,
      module: n.module,
      functionName: n.functionName,
      file: own ? undefined : (entry?.stub ?? join(config.handlersDir, `${n.module}.${stubExtension(lang)}`)),
      entry,
      lang,
      access: accessOf(security.operations.get(opKey(o.method, o.path)), authorizers),
      op: o.op,
      item: paths[o.path] ?? {},
      segments: parseSegments(resource),
    };
  });
  return routes.sort((a, b) => specificity(b) - specificity(a));
}

function specificity(r: Route): number {
  let score = 0;
  for (const s of r.segments) score = score * 3 + ("literal" in s ? 2 : s.greedy ? 0 : 1);
  return score * 100 + r.segments.length;
}

export interface Match {
  route: Route;
  pathParameters: Record<string, string>;
}

function matchSegments(segs: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if ("literal" in s) {
      if (parts[i] !== s.literal) return undefined;
      continue;
    }
    if (s.greedy) {
      if (i >= parts.length) return undefined;
      params[s.param] = parts.slice(i).map(decode).join("/");
      return params;
    }
    if (parts[i] === undefined || parts[i] === "") return undefined;
    params[s.param] = decode(parts[i]);
  }
  return parts.length === segs.length ? params : undefined;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface ResourceMatch {
  resource: string;
  /** The resource's routes, one per method. */
  routes: Route[];
  pathParameters: Record<string, string>;
}

/**
 * The resource a path goes to, as API Gateway picks it: the most specific resource whose path
 * matches, whatever its methods (a method it lacks is not looked for on a less specific one).
 */
export function matchResource(routes: Route[], path: string): ResourceMatch | undefined {
  const parts = path.split("/").filter((p, i, all) => p !== "" || (i > 0 && i < all.length - 1));
  for (const route of routes) {
    const params = matchSegments(route.segments, parts);
    if (params) return { resource: route.resource, routes: routes.filter((r) => r.resource === route.resource), pathParameters: params };
  }
  return undefined;
}

/** The route for a request, `"method"` when only the method is unknown, undefined when the path is. */
export function matchRoute(routes: Route[], method: string, path: string): Match | "method" | undefined {
  const found = matchResource(routes, path);
  if (!found) return undefined;
  const route = found.routes.find((r) => r.method === method.toUpperCase());
  return route ? { route, pathParameters: found.pathParameters } : "method";
}

/** Handler files the routes need that are not there (yet). */
export function missingHandlers(routes: Route[]): string[] {
  return routes.filter((r) => r.file && !existsSync(r.file)).map((r) => r.file!);
}
