/** REST API (v1.0) Lambda proxy events, as API Gateway builds them. */
import { randomUUID } from "node:crypto";

export interface RawRequest {
  method: string;
  /** The path as requested (no query string). */
  path: string;
  /** Query pairs in order. */
  query: Array<[string, string]>;
  /** Header pairs in order, names as sent. */
  headers: Array<[string, string]>;
  body: Buffer;
  sourceIp?: string;
}

export interface EventOptions {
  resource: string;
  pathParameters: Record<string, string>;
  stage: string;
  binaryMediaTypes: string[];
  authorizer?: Record<string, unknown> | null;
  apiKey?: string;
  requestId?: string;
}

/** Prototype-less maps: a query or header named `__proto__`, `toString` or `constructor` is a key like any other. */
function grouped(pairs: Array<[string, string]>): { single: Record<string, string>; multi: Record<string, string[]> } {
  // Without a prototype: a header or query parameter named __proto__ (or constructor) is data, not
  // the object's prototype (it answered 502).
  const single: Record<string, string> = Object.create(null);
  const multi: Record<string, string[]> = Object.create(null);
  for (const [k, v] of pairs) {
    single[k] = v;
    (multi[k] ??= []).push(v);
  }
  return { single, multi };
}

/** True when the request body is passed base64-encoded: its Content-Type matches a binary media type. */
export function isBinary(contentType: string | undefined, binaryMediaTypes: string[]): boolean {
  if (!contentType) return false;
  const t = contentType.split(";")[0].trim().toLowerCase();
  return binaryMediaTypes.some((b) => {
    const m = b.toLowerCase();
    if (m === "*/*") return true;
    if (m.endsWith("/*")) return t.startsWith(m.slice(0, -1));
    return t === m;
  });
}

export function headerValue(headers: Array<[string, string]>, name: string): string | undefined {
  const n = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === n) return v;
  return undefined;
}

export function proxyEvent(req: RawRequest, o: EventOptions): Record<string, unknown> {
  const h = grouped(req.headers);
  const q = grouped(req.query);
  const hasQuery = req.query.length > 0;
  const hasParams = Object.keys(o.pathParameters).length > 0;
  const binary = isBinary(headerValue(req.headers, "content-type"), o.binaryMediaTypes);
  const now = Date.now();
  const requestId = o.requestId ?? randomUUID();
  const userAgent = headerValue(req.headers, "user-agent") ?? null;
  return {
    resource: o.resource,
    path: req.path,
    httpMethod: req.method,
    headers: req.headers.length ? h.single : null,
    multiValueHeaders: req.headers.length ? h.multi : null,
    queryStringParameters: hasQuery ? q.single : null,
    multiValueQueryStringParameters: hasQuery ? q.multi : null,
    pathParameters: hasParams ? o.pathParameters : null,
    stageVariables: null,
    requestContext: {
      resourceId: "local",
      resourcePath: o.resource,
      httpMethod: req.method,
      extendedRequestId: requestId,
      requestTime: new Date(now).toUTCString(),
      path: `/${o.stage}${req.path}`,
      accountId: "000000000000",
      protocol: "HTTP/1.1",
      stage: o.stage,
      domainPrefix: "localhost",
      requestTimeEpoch: now,
      requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        apiKey: o.apiKey ?? null,
        apiKeyId: o.apiKey ? "local" : null,
        sourceIp: req.sourceIp ?? "127.0.0.1",
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent,
        user: null,
      },
      domainName: "localhost",
      apiId: "local",
      authorizer: o.authorizer ?? null,
    },
    body: req.body.length ? (binary ? req.body.toString("base64") : req.body.toString("utf8")) : null,
    isBase64Encoded: binary && req.body.length > 0,
  };
}
