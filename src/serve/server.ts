/**
 * The local API: an HTTP server that answers as the deployed REST API does, running each
 * operation's handler in a worker process. Routes can be swapped while it runs (spec edits).
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { StubLanguage } from "../api/stubs.js";
import { HTTP_METHODS } from "../model/types.js";
import { authorize } from "./authorize.js";
import { corsHeaders, preflight, type CorsSettings } from "./cors.js";
import { headerValue, isBinary, proxyEvent, type RawRequest } from "./event.js";
import { fromProxyResult, jsonAnswer, type HttpAnswer } from "./result.js";
import { matchResource, matchRoute, type Route } from "./routes.js";
import { API_KEY_HEADER } from "./access.js";
import { validateRequest } from "./validate.js";
import type { WorkerPool } from "./workers.js";

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
      event,
      functionName: route.functionName,
      timeoutMs: p.timeoutMs,
      memory: p.memory,
      requestId,
    });
    if (!outcome.ok) {
      log(`  ${route.operationId} (${route.file}) failed: ${outcome.errorType}: ${outcome.errorMessage}`);
      for (const l of outcome.stackTrace) log(`    ${l.replace(/\n$/, "").replace(/\n/g, "\n    ")}`);
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://localhost");
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    const raw: RawRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      query: [...url.searchParams.entries()],
      headers,
      body: Buffer.concat(chunks),
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, ""),
    };
    let answer: HttpAnswer;
    try {
      answer = await this.answer(raw);
    } catch (err) {
      this.options.log(`  internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      answer = jsonAnswer(502, INTERNAL);
    }
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of answer.headers) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    res.writeHead(answer.status, out);
    res.end(raw.method === "HEAD" ? undefined : answer.body);
    const ms = performance.now() - started;
    this.options.log(`${raw.method} ${url.pathname}${url.search} ${answer.status} ${ms.toFixed(1)} ms`);
  }

  listen(port: number, host: string): Promise<{ url: string; port: number }> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 5000;
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
