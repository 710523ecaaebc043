/**
 * picofun's handler runtime: turns API Gateway proxy events into typed requests and what a
 * handler returns into proxy responses. Generated: rewritten on every run, do not edit.
 * No dependency and no ambient type: it compiles under tsc --strict with or without @types/node.
 */

interface BufferLike {
  toString(encoding: string): string;
  length: number;
}
interface BufferStatic {
  from(data: string | Uint8Array, encoding?: string): BufferLike & Uint8Array;
}
const NodeBuffer = (globalThis as unknown as { Buffer: BufferStatic }).Buffer;
const log = (globalThis as unknown as { console: { error(...args: unknown[]): void } }).console;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The request does not fit the operation: answered 400 with the message. */
export class BadRequest extends Error {}

/** Throw to answer with this status and JSON body (the spec's error model, if it has one). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** A full answer: status, JSON body (or raw bytes in `binary`) and headers. */
export class Response {
  constructor(
    readonly status: number = 200,
    readonly body: unknown = null,
    readonly headers: Record<string, string> = {},
    readonly binary: Uint8Array | null = null,
  ) {}
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status, body, headers);
}

export function binaryResponse(data: Uint8Array, contentType = "application/octet-stream", status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status, null, { "Content-Type": contentType, ...headers }, data);
}

/** 501 with what was received: what a new stub answers until it is implemented. */
export function notImplemented(operation: string, request: { event?: unknown }): Response {
  const received: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(request)) if (k !== "event") received[k] = v;
  return jsonResponse({ operation, received }, 501);
}

type Table = Record<string, unknown>;
const table = (v: unknown): Table => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Table) : {});
const own = (t: Table, k: string): unknown => (Object.hasOwn(t, k) ? t[k] : undefined);

/** Read access to a proxy event (v1.0) that tolerates any shape. */
export class Event {
  readonly raw: Table;
  private readonly headers: Map<string, string>;
  constructor(event: unknown) {
    if (event === null || typeof event !== "object" || Array.isArray(event)) throw new BadRequest("the event is not a JSON object");
    this.raw = event as Table;
    this.headers = new Map(Object.entries(table(this.raw.headers)).filter((e): e is [string, string] => typeof e[1] === "string").map(([k, v]) => [k.toLowerCase(), v]));
  }
  private text(key: string, name: string): string | undefined {
    const v = own(table(this.raw[key]), name);
    return typeof v === "string" ? v : undefined;
  }
  path(name: string): string | undefined {
    return this.text("pathParameters", name);
  }
  query(name: string): string | undefined {
    return this.text("queryStringParameters", name);
  }
  multi(name: string): string[] | undefined {
    const v = own(table(this.raw.multiValueQueryStringParameters), name);
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
    const one = this.query(name);
    return one === undefined ? undefined : [one];
  }
  header(name: string): string | undefined {
    return this.headers.get(name.toLowerCase());
  }
  cookie(name: string): string | undefined {
    for (const part of (this.header("cookie") ?? "").split(";")) {
      const i = part.indexOf("=");
      if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
    }
    return undefined;
  }
  bodyBytes(): Uint8Array | undefined {
    const body = this.raw.body;
    if (body === undefined || body === null) return undefined;
    if (typeof body !== "string") throw new BadRequest("the body is not a string");
    if (this.raw.isBase64Encoded === true) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) throw new BadRequest("the body is not valid base64");
      return NodeBuffer.from(body, "base64");
    }
    return NodeBuffer.from(body, "utf8");
  }
  jsonBody(required: boolean): unknown {
    const data = this.bodyBytes();
    if (!data || !data.length) {
      if (required) throw new BadRequest("the request body is required");
      return null;
    }
    try {
      return JSON.parse(NodeBuffer.from(data).toString("utf8"));
    } catch {
      throw new BadRequest("the request body is not valid JSON");
    }
  }
}

export type Convert<T> = (name: string, value: string) => T;

export const asString: Convert<string> = (_name, value) => value;

export const asInteger: Convert<number> = (name, value) => {
  const text = value.trim();
  if (!/^[+-]?\d{1,15}$/.test(text)) throw new BadRequest(`parameter ${name} must be an integer`);
  return Number(text);
};

export const asNumber: Convert<number> = (name, value) => {
  const n = value.trim() === "" || value.length > 100 ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new BadRequest(`parameter ${name} must be a number`);
  return n;
};

export const asBoolean: Convert<boolean> = (name, value) => {
  if (value === "true" || value === "false") return value === "true";
  throw new BadRequest(`parameter ${name} must be true or false`);
};

export function required<T>(convert: Convert<T>, name: string, value: string | undefined): T {
  if (value === undefined) throw new BadRequest(`parameter ${name} is required`);
  return convert(name, value);
}

export function optional<T>(convert: Convert<T>, name: string, value: string | undefined): T | undefined {
  return value === undefined ? undefined : convert(name, value);
}

export function many<T>(convert: Convert<T>, name: string, values: string[] | undefined, need: boolean): T[] | undefined {
  if (values === undefined) {
    if (need) throw new BadRequest(`parameter ${name} is required`);
    return undefined;
  }
  return values.map((v) => convert(name, v));
}

export function requiredBody(data: Uint8Array | undefined): Uint8Array {
  if (!data || !data.length) throw new BadRequest("the request body is required");
  return data;
}

export interface ProxyResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): ProxyResult {
  if (body === null || body === undefined) return { statusCode: status, headers: { ...headers }, body: "" };
  const text = JSON.stringify(body);
  if (typeof text !== "string") throw new TypeError("the body is not JSON");
  return { statusCode: status, headers: { "Content-Type": "application/json", ...headers }, body: text };
}

function checkStatus(v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 100 && v <= 599) return v;
  throw new TypeError("a response status must be an integer from 100 to 599");
}

function checkHeaders(v: unknown): Record<string, string> {
  const t = table(v);
  if (Object.values(t).some((x) => typeof x !== "string") || v === null || typeof v !== "object" || Array.isArray(v)) throw new TypeError("response headers must map strings to strings");
  return { ...(t as Record<string, string>) };
}

/** What a handler returned, as a proxy response (TypeError when it cannot be one). */
export function toProxy(result: unknown, success: number): ProxyResult {
  if (result instanceof Response) {
    const status = checkStatus(result.status);
    const headers = checkHeaders(result.headers);
    if (result.binary !== null) {
      if (!(result.binary instanceof Uint8Array)) throw new TypeError("Response.binary must be bytes");
      return { statusCode: status, headers, body: NodeBuffer.from(result.binary).toString("base64"), isBase64Encoded: true };
    }
    return answer(status, result.body, headers);
  }
  return answer(success, result);
}

function report(operation: string, what: string, err: unknown): void {
  log.error(`picofun: ${operation}: ${what}`, err);
}

/** The Lambda entry point of one operation: parse, call, answer. Never throws. */
export async function run<R>(event: unknown, parse: (e: Event) => R, call: (r: R) => unknown, operation: string, success: number): Promise<ProxyResult> {
  let request: R;
  try {
    request = parse(new Event(event));
  } catch (err) {
    if (err instanceof BadRequest) return answer(400, { message: err.message.slice(0, 1000) });
    report(operation, "the event could not be read", err);
    return answer(400, { message: "the request could not be read" });
  }
  let result: unknown;
  try {
    result = await call(request);
  } catch (err) {
    if (err instanceof HttpError) {
      try {
        return answer(checkStatus(err.status), err.body, checkHeaders(err.headers));
      } catch (inner) {
        report(operation, "the HttpError thrown cannot be sent", inner);
        return answer(502, { message: "the handler's error cannot be sent" });
      }
    }
    if (err instanceof BadRequest) return answer(400, { message: err.message.slice(0, 1000) });
    report(operation, "the handler failed", err);
    return answer(500, { message: "Internal server error" });
  }
  try {
    return toProxy(result, success);
  } catch (err) {
    report(operation, "the handler's result is not a response", err);
    return answer(502, { message: "the handler's result cannot be sent" });
  }
}
