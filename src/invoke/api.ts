/**
 * `picofun invoke` in an api-kind project: one handler, called directly (as Lambda's Invoke
 * would: no API key, authorizer or validator) with the proxy event `serve` would build from
 * --method, --path, --query, --header and --body.
 */
import { opKey } from "../kinds/api/operationIds.js";
import { resolveSelectors } from "../select/selectors.js";
import { UserError } from "../util/errors.js";
import { proxyEvent, type RawRequest } from "../local/event.js";
import { loadProject } from "../serve/project.js";
import { matchRoute, type Route } from "../serve/routes.js";
import type { Invocation } from "../local/workers.js";
import type { StubLanguage } from "../kinds/api/stubs/stubs.js";
import type { CliOverrides } from "../config/types.js";
import { openProject } from "../project/open.js";

export interface ApiRequestFlags {
  method?: string;
  path?: string;
  query?: string[];
  header?: string[];
  body?: string;
}

function pairs(items: string[] | undefined, sep: string, what: string): Array<[string, string]> {
  return (items ?? []).map((item) => {
    const at = item.indexOf(sep);
    if (at <= 0) throw new UserError(`${what} "${item}" is not NAME${sep}VALUE`);
    return [item.slice(0, at).trim(), item.slice(at + 1).trim()];
  });
}

/** A concrete path for a route without --path: only when the resource has no parameters. */
function pathOf(route: Route): string {
  if (route.resource.includes("{")) throw new UserError(`${route.method} ${route.resource} has path parameters: give the request path with --path (e.g. ${route.resource.replace(/\{([^}+]+)\+?\}/g, "$1-1")})`);
  return route.resource;
}

export async function apiTarget(selector: string | undefined, flags: ApiRequestFlags, overrides: CliOverrides, cwd: string, given?: unknown): Promise<{ lang: StubLanguage; invocation: Invocation }> {
  const { project } = await loadProject(overrides, cwd);
  let route: Route | undefined;
  if (selector) {
    const { endpoints } = await openProject({ overrides, cwd, project: false, namespace: false, kind: "api" });
    const { matched } = resolveSelectors([selector], endpoints);
    if (matched.length !== 1) throw new UserError(`"${selector}" matches ${matched.length} operations; name one: an operationId or "METHOD /path"`);
    const key = opKey(matched[0].method, matched[0].path);
    route = project.routes.find((r) => opKey(r.method, r.specPath) === key);
    if (!route) throw new UserError(`${key} is not served by API Gateway (TRACE)`);
  }
  // A whole proxy event given (--event-file events/x.json): its method and path pick the route.
  const ev = given && typeof given === "object" ? (given as { httpMethod?: unknown; path?: unknown }) : undefined;
  const method = (flags.method ?? (typeof ev?.httpMethod === "string" ? ev.httpMethod : undefined) ?? route?.method ?? "GET").toUpperCase();
  const path = flags.path ?? (typeof ev?.path === "string" ? ev.path : undefined) ?? (route ? pathOf(route) : undefined);
  if (!path) throw new UserError("give an operation (operationId or \"METHOD /path\") or --path");
  const m = matchRoute(route ? [route] : project.routes, method, path);
  if (!m || m === "method") throw new UserError(`${method} ${path} is not a route of the API${route ? ` operation ${route.operationId} (${route.method} ${route.resource})` : ""}`);
  if (!m.route.file) throw new UserError(`${m.route.operationId} keeps its own x-amazon-apigateway-integration: there is no handler to run`);
  const req: RawRequest = {
    method,
    path,
    query: pairs(flags.query, "=", "--query"),
    headers: pairs(flags.header, ":", "--header"),
    body: Buffer.from(flags.body ?? "", "utf8"),
  };
  const event = given !== undefined ? given : proxyEvent(req, { resource: m.route.resource, pathParameters: m.pathParameters, stage: project.stage, binaryMediaTypes: project.binaryMediaTypes });
  return {
    lang: m.route.lang,
    invocation: { file: m.route.file, module: m.route.module, ...m.route.entry, functionName: m.route.functionName, event, timeoutMs: project.timeoutMs, memory: project.memory },
  };
}
