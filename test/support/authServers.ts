import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** A request a loopback server saw: what the generated code really sent. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface LoopbackServer {
  url: string;
  seen: SeenRequest[];
  stop(): Promise<void>;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

/** Starts an http server on a loopback port that records every request and answers with `handle`. */
export async function startLoopback(
  handle: (req: SeenRequest, res: ServerResponse) => void,
): Promise<LoopbackServer> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const r: SeenRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: await readBody(req) };
    seen.push(r);
    handle(r, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

/**
 * An OAuth2 token endpoint for the client-credentials grant: checks the client's Basic
 * credentials and the grant type, and issues `tok-1`, `tok-2`, ... valid for `expiresIn` s.
 */
export async function startTokenServer(
  clientId: string,
  clientSecret: string,
  expiresIn = 3600,
): Promise<LoopbackServer & { issued: () => number }> {
  let issued = 0;
  const server = await startLoopback((req, res) => {
    const form = new URLSearchParams(req.body);
    const expected = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`;
    if (req.method !== "POST" || !req.url.startsWith("/token")) return json(res, 404, { error: "not_found" });
    if (form.get("grant_type") !== "client_credentials") return json(res, 400, { error: "unsupported_grant_type" });
    if (req.headers.authorization !== expected) return json(res, 401, { error: "invalid_client" });
    issued += 1;
    json(res, 200, { access_token: `tok-${issued}`, token_type: "Bearer", expires_in: expiresIn });
  });
  return { ...server, issued: () => issued };
}

/**
 * An authorization server for the refresh-token grant, with an OpenID Connect discovery
 * document at /.well-known/openid-configuration naming /oidc/token. Only the current refresh
 * token is accepted (`invalid_grant` otherwise); with `rotate` every refresh issues a new one
 * (rt-1, rt-2, ...) and the old one stops working, as servers that rotate do. Access tokens are
 * acc-1, acc-2, ... valid for `expiresIn` s.
 */
export async function startRefreshServer(options: {
  refreshToken: string;
  clientId?: string;
  clientSecret?: string;
  rotate?: boolean;
  expiresIn?: number;
}): Promise<LoopbackServer & { issued: () => number; current: () => string; setCurrent: (t: string) => void }> {
  let issued = 0;
  let current = options.refreshToken;
  const server = await startLoopback((req, res) => {
    if (req.method === "GET" && req.url === "/.well-known/openid-configuration") {
      return json(res, 200, { issuer: "loopback", authorization_endpoint: "/authorize", token_endpoint: "/oidc/token" });
    }
    if (req.method !== "POST" || !(req.url.startsWith("/token") || req.url.startsWith("/oidc/token"))) return json(res, 404, { error: "not_found" });
    const form = new URLSearchParams(req.body);
    if (options.clientId) {
      const expected = `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret ?? "")}`).toString("base64")}`;
      if (req.headers.authorization !== expected) return json(res, 401, { error: "invalid_client" });
    }
    if (form.get("grant_type") !== "refresh_token") return json(res, 400, { error: "unsupported_grant_type" });
    if (form.get("refresh_token") !== current) return json(res, 400, { error: "invalid_grant" });
    issued += 1;
    const answer: Record<string, unknown> = { access_token: `acc-${issued}`, token_type: "Bearer", expires_in: options.expiresIn ?? 3600 };
    if (options.rotate) {
      current = `rt-${issued}`;
      answer.refresh_token = current;
    }
    json(res, 200, answer);
  });
  return { ...server, issued: () => issued, current: () => current, setCurrent: (t) => void (current = t) };
}
