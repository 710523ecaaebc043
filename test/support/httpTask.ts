import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import jsonata from "jsonata";

/** The request an HTTP Task state describes for one input, as the `jsonata` package evaluates its Arguments. */
export interface DescribedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  transform?: { RequestBodyEncoding: string; RequestEncodingOptions?: { ArrayFormat: string } };
}

const EXPR = /^\{%([\s\S]*)%\}$/;

/** Evaluates a `{% ... %}` field with `$states.input` bound, as Step Functions does; other values as they are. */
export async function evaluateField(value: unknown, input: unknown): Promise<unknown> {
  if (typeof value !== "string") return value;
  const m = EXPR.exec(value);
  if (!m) return value;
  return jsonata(m[1]).evaluate({}, { states: { input, context: {} } });
}

export async function describeRequest(state: { Arguments: Record<string, unknown> }, input: unknown): Promise<DescribedRequest> {
  const a = state.Arguments;
  return {
    method: (await evaluateField(a.Method, input)) as string,
    url: (await evaluateField(a.ApiEndpoint, input)) as string,
    headers: ((await evaluateField(a.Headers, input)) ?? {}) as Record<string, string>,
    body: a.RequestBody === undefined ? undefined : await evaluateField(a.RequestBody, input),
    transform: a.Transform as DescribedRequest["transform"],
  };
}

/** The form body an HTTP Task's URL_ENCODED transform sends for an object (ArrayFormat REPEAT), as decoded pairs. */
export function formPairs(body: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    for (const item of Array.isArray(v) ? v : [v]) out.push([k, String(item)]);
  }
  return out;
}

export interface Recorded {
  method: string;
  /** The request target as sent (path and query, not normalised). */
  target: string;
  headers: Record<string, string>;
  body: string;
}

/** A loopback server that records every request and answers 200 with `{}`. */
export async function recordingServer(): Promise<{ url: string; requests: Recorded[]; close: () => Promise<void> }> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i].toLowerCase()] = req.rawHeaders[i + 1];
      requests.push({ method: req.method ?? "", target: req.url ?? "", headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Headers the transport adds on its own (Python's http.client and picorun's User-Agent; Step Functions has its own). */
export const TRANSPORT_HEADERS = ["host", "content-length", "accept-encoding", "user-agent", "connection"];

export function lowerKeys(h: Record<string, string>, drop: string[] = []): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]).filter(([k]) => !drop.includes(k)));
}

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];
const ARGUMENTS = ["ApiEndpoint", "Method", "Authentication", "Headers", "QueryParameters", "RequestBody", "Transform"];

/**
 * A check of an HTTP Task state against the fields AWS documents for `arn:aws:states:::http:invoke`
 * (asl-validator checks JSONata states but not a Task's Arguments): "" when it conforms.
 */
export function httpTaskSchemaErrors(state: Record<string, unknown>): string {
  const errors: string[] = [];
  if (state.Type !== "Task" || state.Resource !== "arn:aws:states:::http:invoke") errors.push("not an http:invoke Task");
  if (state.QueryLanguage !== "JSONata") errors.push("QueryLanguage is not JSONata");
  if ("Parameters" in state) errors.push("Parameters in a JSONata state");
  const a = (state.Arguments ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(a)) if (!ARGUMENTS.includes(k)) errors.push(`unknown argument ${k}`);
  if (typeof a.ApiEndpoint !== "string") errors.push("ApiEndpoint missing");
  if (typeof a.Method !== "string" || (!METHODS.includes(a.Method) && !a.Method.startsWith("{%"))) errors.push(`Method ${String(a.Method)}`);
  const auth = a.Authentication as { ConnectionArn?: unknown } | undefined;
  if (!auth || typeof auth.ConnectionArn !== "string" || Object.keys(auth).length !== 1) errors.push("Authentication.ConnectionArn missing");
  if (a.Transform !== undefined) {
    const t = a.Transform as { RequestBodyEncoding?: unknown; RequestEncodingOptions?: { ArrayFormat?: unknown } };
    if (!["NONE", "URL_ENCODED"].includes(String(t.RequestBodyEncoding))) errors.push("Transform.RequestBodyEncoding");
    const format = t.RequestEncodingOptions?.ArrayFormat;
    if (format !== undefined && !["BRACKETS", "COMMAS", "INDICES", "REPEAT"].includes(String(format))) errors.push("ArrayFormat");
  }
  for (const [k, v] of Object.entries(state)) {
    if (typeof v === "string" && v.startsWith("{%") && !v.endsWith("%}")) errors.push(`${k} is not a whole JSONata expression`);
  }
  return errors.join("; ");
}
