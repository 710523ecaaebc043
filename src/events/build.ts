/**
 * Example events, one per function: client kind `{path, query, payload, headers}`, api kind the
 * proxy event `serve` would send for a request made from the same examples.
 */
import type { Route } from "../serve/routes.js";
import { proxyEvent } from "../serve/event.js";
import { operationParameters, sampleBody, sampleParameter } from "./sample.js";

type Doc = Record<string, unknown>;

function text(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function clientEvent(doc: Doc, path: string, method: string): Record<string, unknown> {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, unknown>>;
  const item = paths[path] ?? {};
  const op = (item[method] ?? {}) as Record<string, unknown>;
  const event: Record<string, Record<string, unknown> | unknown> = {};
  const put = (where: string, name: string, value: unknown) => {
    const box = (event[where] ??= {}) as Record<string, unknown>;
    box[name] = value;
  };
  for (const p of operationParameters(doc, item, op)) {
    const where = p.in === "path" ? "path" : p.in === "query" ? "query" : p.in === "header" ? "headers" : undefined;
    if (where) put(where, String(p.name), sampleParameter(doc, p));
  }
  const body = sampleBody(doc, op);
  if (body) event.payload = body.value;
  return event;
}

export function apiEvent(doc: Doc, route: Route, stage: string, binaryMediaTypes: string[]): Record<string, unknown> {
  const params = operationParameters(doc, route.item, route.op);
  const pathParameters: Record<string, string> = {};
  const query: Array<[string, string]> = [];
  const headers: Array<[string, string]> = [["Host", "localhost:3000"], ["User-Agent", "picofun-events"]];
  for (const p of params) {
    const v = sampleParameter(doc, p);
    const name = String(p.name);
    if (p.in === "path") pathParameters[name] = text(v);
    else if (p.in === "query") for (const x of Array.isArray(v) ? v : [v]) query.push([name, text(x)]);
    else if (p.in === "header") headers.push([name, text(v)]);
  }
  const body = sampleBody(doc, route.op);
  if (body) headers.push(["Content-Type", body.contentType]);
  const path = route.resource.replace(/\{([^}]+?)\+?\}/g, (_m, n: string) => encodeURIComponent(pathParameters[n] ?? `${n}-1`));
  return proxyEvent(
    { method: route.method, path, query, headers, body: Buffer.from(body ? text(body.value) : "", "utf8") },
    { resource: route.resource, pathParameters, stage, binaryMediaTypes, requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef" },
  );
}
