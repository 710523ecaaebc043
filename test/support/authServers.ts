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
