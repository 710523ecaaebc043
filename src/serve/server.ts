/**
 * The local API: an HTTP server that answers as the deployed REST API does, running each
 * operation's handler in a worker process. Routes can be swapped while it runs (spec edits).
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { StubLanguage } from "../kinds/api/stubs/stubs.js";
import { HTTP_METHODS } from "../model/types.js";
import { authorize } from "./authorize.js";
import { corsHeaders, preflight, type CorsSettings } from "./cors.js";
import { headerValue, isBinary, proxyEvent, type RawRequest } from "../local/event.js";
import { fromProxyResult, jsonAnswer, type HttpAnswer } from "../local/result.js";
import { matchResource, matchRoute, type Route } from "./routes.js";
import { API_KEY_HEADER } from "./access.js";
import { validateRequest } from "./validate.js";
import { TIMED_OUT, type WorkerPool } from "../local/workers.js";

export interface Project {
  doc: Record<string, unknown>;
  routes: Route[];
  binaryMediaTypes: string[];
  cors?: CorsSettings;
  /** `[api] cognito_user_pools` (the issuers Cognito authorizers accept). */
  userPools: string[];
  handlersDir: string;
  lang: StubLanguage;
  stage: string;
  timeoutMs: number;
  memory: number;
}

export interface LocalApiOptions {
  pool: WorkerPool;
  /** Accepted values of x-api-key for operations that require the API key. */
  apiKeys: string[];
  log: (line: string) => void;
}

const INTERNAL = { message: "Internal server error" };

/** API Gateway's integration timeout for REST APIs (29 s): a function allowed longer is cut off here with a 504. */
export const INTEGRATION_TIMEOUT_MS = 29_000;

/** API Gateway's payload limit (10 MB): a larger request body is answered 413 and not kept. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** How long the rest of a body over the limit is read and dropped after the 413 before the connection is closed. */
const LINGER_MS = 5000;

/** After a 413: the connection goes on if the client finishes its request within LINGER_MS, else it is closed. */
function lingerAfter413(req: IncomingMessage, res: ServerResponse): void {
  res.once("finish", () => {
    if (req.complete) return;
    const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
    timer.unref();
    req.once("end", () => clearTimeout(timer));
    req.once("close", () => clearTimeout(timer));
  });
}

/** The request target as a URL, or undefined when it is not one (`http://[/`, say). */
function parseTarget(target: string): URL | undefined {
  try {
    // An origin-form target is all path: "//host/x" is not a host (new URL would take it as one).
    return target.startsWith("/") ? new URL(`http://localhost${target}`) : new URL(target, "http://localhost");
  } catch {
    return undefined;
  }
}

export class LocalApi {
  private server?: Server;
  constructor(
    public project: Project,
    private readonly options: LocalApiOptions,
  ) {}

  /** Answers one request (exported for tests of the whole path without a socket). */
  async answer(req: RawRequest): Promise<HttpAnswer> {
    const p = this.project;
    const log = this.options.log;
    // The gateway's own answers carry the CORS headers of its gateway responses; handler results do not.
    const cors = (a: HttpAnswer): HttpAnswer => ({ ...a, headers: [...a.headers, ...corsHeaders(p.cors)] });
    const match = matchRoute(p.routes, req.method, req.path);
    if (!match || match === "method") {
      const resource = match === "method" ? matchResource(p.routes, req.path) : undefined;
      if (req.method === "OPTIONS" && resource && p.cors) {
        const methods = HTTP_METHODS.map((m) => m.toUpperCase()).filter((m) => resource.routes.some((r) => r.method === m));
        return preflight(p.cors, req, methods);
      }
      return cors(jsonAnswer(403, { message: "Missing Authentication Token" }));
    }
    const { route, pathParameters } = match;
    const apiKey = headerValue(req.headers, API_KEY_HEADER);
    if (route.access.apiKey && (!apiKey || !this.options.apiKeys.includes(apiKey))) {
      log(`  ${route.operationId}: ${apiKey ? "unknown" : "no"} API key (x-api-key)`);
      return cors(jsonAnswer(403, { message: "Forbidden" }));
    }
    const requestId = randomUUID();
    const event = proxyEvent(req, { resource: route.resource, pathParameters, stage: p.stage, binaryMediaTypes: p.binaryMediaTypes, apiKey: route.access.apiKey ? apiKey : undefined, requestId });
    if (route.access.authorizer) {
      const auth = await authorize(route.access, req, event, { handlersDir: p.handlersDir, lang: p.lang, stage: p.stage, pool: this.options.pool, log, userPools: p.userPools });
      if (!auth.allow) {
        log(`  ${route.operationId}: ${auth.why}`);
        return cors(auth.answer);
      }
      (event.requestContext as Record<string, unknown>).authorizer = auth.authorizer;
    }
    const invalid = validateRequest(p.doc, route.item, route.op, req);
    if (invalid) {
      log(`  ${route.operationId}: request validator: ${invalid.detail ?? invalid.message}`);
      return cors(jsonAnswer(400, { message: invalid.message }));
    }
    if (!route.file) {
      log(`  ${route.operationId} keeps its own x-amazon-apigateway-integration; serve runs only picofun's functions`);
      return cors(jsonAnswer(502, INTERNAL));
    }
    if (!existsSync(route.file)) {
      log(`  ${route.operationId}: ${route.file} is missing (picofun generate creates it)`);
      return cors(jsonAnswer(502, INTERNAL));
    }
    const outcome = await this.options.pool.invoke(route.lang, {
      file: route.file,
      module: route.module,
      ...route.entry,
      event,
      functionName: route.functionName,
      timeoutMs: p.timeoutMs,
      memory: p.memory,
      requestId,
    });
    if (!outcome.ok) {
      log(`  ${route.operationId} (${route.file}) failed: ${outcome.errorType}: ${outcome.errorMessage}`);
      for (const l of outcome.stackTrace) log(`    ${l.replace(/\n$/, "").replace(/\n/g, "\n    ")}`);
      // The function's own timeout is a failed invocation (502); at 29 s the integration gives up first (504).
      if (outcome.errorType === TIMED_OUT && p.timeoutMs >= INTEGRATION_TIMEOUT_MS) return cors(jsonAnswer(504, { message: "Endpoint request timed out" }));
      return cors(jsonAnswer(502, INTERNAL));
    }
    // API Gateway decodes a base64 body only when the request's first Accept type is a binary media type.
    const accept = (headerValue(req.headers, "accept") ?? "").split(",")[0].trim();
    const decode = isBinary(accept, p.binaryMediaTypes);
    const result = fromProxyResult(outcome.result, decode);
    if ("problem" in result) {
      log(`  ${route.operationId} (${route.file}): malformed Lambda proxy response: ${result.problem}`);
      return cors(jsonAnswer(502, INTERNAL));
    }
    if (!decode && (outcome.result as { isBase64Encoded?: unknown }).isBase64Encoded === true) {
      const types = p.binaryMediaTypes.join(", ") || "none";
      log(`  ${route.operationId}: isBase64Encoded body sent as base64 text: the request's first Accept type (${accept || "none"}) is not a binary media type (${types}), as API Gateway does`);
    }
    return result;
  }

  /**
   * Reads the body up to the payload limit; undefined when it is larger. The rest is read and
   * dropped, not kept (closing at once would reset the connection, and a client still sending
   * could lose the 413 with it); lingerAfter413 bounds how long.
   */
  private readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const drop = () => req.on("data", () => undefined);
    if (Number(req.headers["content-length"] ?? 0) > MAX_REQUEST_BYTES) {
      drop();
      return Promise.resolve(undefined);
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (c: Buffer) => {
        size += c.length;
        if (size <= MAX_REQUEST_BYTES) return void chunks.push(c);
        req.off("data", onData);
        drop();
        resolve(undefined);
      };
      req.on("data", onData);
      req.once("end", () => resolve(Buffer.concat(chunks)));
      req.once("error", reject);
      req.once("close", () => reject(Object.assign(new Error("the client closed the connection"), { code: "ECONNRESET" })));
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    let target = req.url ?? "/";
    let answer: HttpAnswer;
    let tooLarge = false;
    try {
      const url = parseTarget(target);
      if (!url) {
        this.options.log(`  malformed request target ${JSON.stringify(target.slice(0, 200))}`);
        answer = jsonAnswer(400, { message: "Bad Request" }, corsHeaders(this.project.cors));
      } else {
        target = `${url.pathname}${url.search}`;
        const body = await this.readBody(req);
        if (!body) {
          this.options.log(`  request body over ${MAX_REQUEST_BYTES} bytes (API Gateway's payload limit): answered 413, the rest is not kept`);
          answer = jsonAnswer(413, { message: "Request Too Long" }, corsHeaders(this.project.cors));
          tooLarge = true;
        } else {
          const headers: Array<[string, string]> = [];
          for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
          answer = await this.answer({
            method,
            path: url.pathname,
            query: [...url.searchParams.entries()],
            headers,
            body,
            sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, ""),
          });
        }
      }
    } catch (err) {
      // A client that goes away while sending its body is not an error of serve's.
      const gone = req.destroyed || (err as NodeJS.ErrnoException)?.code === "ECONNRESET";
      this.options.log(gone ? "  the client closed the connection before its request was read" : `  internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      answer = jsonAnswer(502, INTERNAL);
    }
    this.send(res, method, answer);
    if (tooLarge) lingerAfter413(req, res);
    const ms = performance.now() - started;
    this.options.log(`${method} ${target.replace(/[\x00-\x1f\x7f]/g, "?")} ${answer.status} ${ms.toFixed(1)} ms`);
  }

  /** Writes the answer; one Node.js still refuses (it should not: results are checked) becomes a 502. */
  private send(res: ServerResponse, method: string, answer: HttpAnswer): void {
    if (res.headersSent || res.destroyed) return;
    const out: Record<string, string | string[]> = Object.create(null); // a header named __proto__ is a header
    for (const [k, v] of answer.headers) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    // A length, as API Gateway sends it (results with their own Content-Length were checked against the body).
    if (answer.status !== 204 && answer.status !== 304 && !answer.headers.some(([k]) => k.length === 14 && k.toLowerCase() === "content-length")) out["Content-Length"] = String(answer.body.length);
    try {
      res.writeHead(answer.status, out);
    } catch (err) {
      this.options.log(`  the answer cannot be sent: ${err instanceof Error ? err.message : String(err)}`);
      const fallback = jsonAnswer(502, INTERNAL);
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      res.writeHead(502, Object.fromEntries(fallback.headers));
      answer = fallback;
    }
    res.end(method === "HEAD" ? undefined : answer.body);
  }

  listen(port: number, host: string): Promise<{ url: string; port: number }> {
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      // handle() answers every request itself; this is only the last guard that keeps the process up.
      this.handle(req, res).catch((err) => {
        this.options.log(`  internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        res.destroy();
      });
    };
    // Timeouts are checked every 5 s (Node.js's default is 30 s).
    const server = createServer({ connectionsCheckingInterval: 5_000 }, onRequest);
    // Expect: 100-continue with a declared body over the limit: the 413 comes instead of the 100, before any byte is sent.
    server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
      if (!(Number(req.headers["content-length"] ?? 0) > MAX_REQUEST_BYTES)) res.writeContinue();
      onRequest(req, res);
    });
    server.keepAliveTimeout = 5000;
    // Slow clients (slowloris) cannot hold a connection open forever: headers within 20 s, the whole request within 60 s.
    server.headersTimeout = 20_000;
    server.requestTimeout = 60_000;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        const addr = server.address() as { port: number };
        const shown = host.includes(":") ? `[${host}]` : host;
        resolve({ url: `http://${shown}:${addr.port}`, port: addr.port });
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
