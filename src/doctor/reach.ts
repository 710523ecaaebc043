/**
 * Whether an HTTPS address answers, reached the way terraform and pip would reach it: through
 * HTTPS_PROXY (or https_proxy) unless NO_PROXY (or no_proxy) names the host. Node's own fetch
 * ignores those variables, so behind a proxy it would report the registry unreachable while
 * terraform init works. Never throws; the proxy's credentials go only into its
 * Proxy-Authorization header.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";

export interface ReachOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Extra trusted certificates (tests: a loopback server's CA). */
  ca?: string;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] ?? env[name.toLowerCase()];
}

/** Whether NO_PROXY's list (`*`, hosts, `.domain` or `domain` for it and its subdomains, optional `:port`) names the host. */
export function bypassesProxy(host: string, port: string, noProxy: string | undefined): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, "");
  for (const raw of (noProxy ?? "").split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "*") return true;
    // `[v6]:port`, a bare IPv6 address (more than one colon), or `host:port`.
    const m = /^\[(.*)\](?::(\d+))?$/.exec(entry) ?? (entry.indexOf(":") !== entry.lastIndexOf(":") ? [entry, entry, undefined] : /^(.*?)(?::(\d+))?$/.exec(entry)!);
    if (m[2] && m[2] !== port) continue;
    const domain = m[1].replace(/^\*?\./, "");
    if (domain && (name === domain || name.endsWith(`.${domain}`))) return true;
  }
  return false;
}

/** The proxy an HTTPS request to `target` goes through, or undefined (none set, NO_PROXY, or not a URL). */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const value = envValue(env, "HTTPS_PROXY");
  if (!value) return undefined;
  if (bypassesProxy(target.hostname, target.port || "443", envValue(env, "NO_PROXY"))) return undefined;
  try {
    const proxy = new URL(value.includes("://") ? value : `http://${value}`);
    return proxy.protocol === "http:" || proxy.protocol === "https:" ? proxy : undefined;
  } catch {
    return undefined;
  }
}

/** True when `url` answers with a 2xx status within the time limit. */
export function reachable(url: string, o: ReachOptions = {}): Promise<boolean> {
  const env = o.env ?? process.env;
  const timeoutMs = o.timeoutMs ?? 5000;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  const proxy = proxyFor(target, env);
  return new Promise((resolve) => {
    const requests: ClientRequest[] = [];
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const r of requests) r.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    const answer = (res: IncomingMessage) => {
      res.resume();
      done(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300);
    };
    const get = (socket?: Socket) => {
      const host = target.hostname.replace(/^\[|\]$/g, "");
      const options = socket
        ? { createConnection: () => tlsConnect({ socket, host, servername: isIP(host) ? undefined : host, ca: o.ca }) }
        : { ca: o.ca, agent: false as const };
      const req = httpsRequest(target, options, answer);
      requests.push(req);
      req.on("error", () => done(false));
      req.end();
    };
    if (!proxy) return get();
    const authority = `${target.hostname}:${target.port || "443"}`;
    const headers: Record<string, string> = { host: authority };
    if (proxy.username) {
      const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers["proxy-authorization"] = `Basic ${Buffer.from(user).toString("base64")}`;
    }
    const port = proxy.port || (proxy.protocol === "https:" ? "443" : "80");
    const connect = (proxy.protocol === "https:" ? httpsRequest : httpRequest)({ host: proxy.hostname.replace(/^\[|\]$/g, ""), port, method: "CONNECT", path: authority, headers, ca: o.ca, agent: false });
    requests.push(connect);
    connect.on("error", () => done(false));
    connect.on("connect", (res: IncomingMessage, socket: Socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return done(false);
      }
      get(socket);
    });
    connect.end();
  });
}
