/**
 * Example events, one per function: client kind `{path, query, headers, payload}` from the
 * model's examples (the generated README shows the same event), api kind the proxy event `serve`
 * would send for a request made from the same examples.
 */
import type { Endpoint } from "../model/types.js";
import type { Route } from "../serve/routes.js";
import { proxyEvent } from "../local/event.js";
import { docDeref, operationParameters, record, sampleBody, sampleParameter, setKey } from "./sample.js";

type Doc = Record<string, unknown>;

function text(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

const WHERE: Record<string, string> = { path: "path", query: "query", header: "headers" };

/** The client handler's event for an endpoint; every parameter name kept (`__proto__` too). */
export function exampleEvent(e: Endpoint): Doc {
  const event = record();
  for (const p of e.parameters) {
    const where = WHERE[p.in];
    if (!where) continue;
    if (!Object.hasOwn(event, where)) setKey(event, where, record());
    setKey(event[where] as Doc, p.name, p.example === undefined ? null : p.example);
  }
  if (e.requestBody) setKey(event, "payload", e.requestBody.example === undefined ? null : e.requestBody.example);
  return event;
}

export function apiEvent(doc: Doc, route: Route, stage: string, binaryMediaTypes: string[]): Record<string, unknown> {
  const d = docDeref(doc);
  const params = operationParameters(d, route.item, route.op);
  const pathParameters: Record<string, string> = record() as Record<string, string>;
  const query: Array<[string, string]> = [];
  const headers: Array<[string, string]> = [["Host", "localhost:3000"], ["User-Agent", "picofun-events"]];
  for (const p of params) {
    const v = sampleParameter(d, p);
    const name = String(p.name);
    if (p.in === "path") setKey(pathParameters, name, text(v));
    else if (p.in === "query") for (const x of Array.isArray(v) ? v : [v]) query.push([name, text(x)]);
    else if (p.in === "header") headers.push([name, text(v)]);
  }
  const body = sampleBody(d, route.op.requestBody);
  if (body) headers.push(["Content-Type", body.contentType]);
  const path = route.resource.replace(/\{([^}]+?)\+?\}/g, (_m, n: string) => encodeURIComponent(pathParameters[n] ?? `${n}-1`));
  return proxyEvent(
    { method: route.method, path, query, headers, body: Buffer.from(body ? text(body.value) : "", "utf8") },
    { resource: route.resource, pathParameters, stage, binaryMediaTypes, requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef" },
  );
}
