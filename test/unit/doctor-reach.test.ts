import fc from "fast-check";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bypassesProxy, proxyFor, reachable } from "../../src/doctor/reach.js";
import { makeCerts, missingOpenssl, type TestCerts } from "../support/certs.js";

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** A loopback CONNECT proxy: records each tunnel's target and Proxy-Authorization, answers `status` (tunnels on 200). */
function tunnelProxy(status: number) {
  const seen: Array<{ target: string; auth?: string }> = [];
  const server = createHttpServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req, client) => {
    seen.push({ target: req.url ?? "", auth: req.headers["proxy-authorization"] });
    if (status !== 200) return client.end(`HTTP/1.1 ${status} No\r\ncontent-length: 0\r\n\r\n`);
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection established\r\n\r\n");
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return { server, seen };
}

const skip = missingOpenssl();
describe.skipIf(!!skip && !process.env.PICOFUN_REQUIRE_E2E)(`doctor's reachability goes through HTTPS_PROXY as terraform does${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let certs: TestCerts;
  let origin: string;
  let target: Server;
  const servers: Server[] = [];
  beforeAll(async () => {
    certs = makeCerts();
    target = createHttpsServer({ cert: certs.serverCert, key: certs.serverKey }, (req, res) => res.writeHead(req.url === "/ok" ? 200 : 404).end("{}"));
    origin = await listen(target);
    servers.push(target);
  });
  afterAll(() => servers.forEach((s) => s.close()));

  it("direct when no proxy is set", async () => {
    expect(await reachable(`https://${origin}/ok`, { env: {}, ca: certs.ca })).toBe(true);
    expect(await reachable(`https://${origin}/missing`, { env: {}, ca: certs.ca })).toBe(false);
  });

  it("through the proxy's tunnel, with its credentials in Proxy-Authorization, and TLS still checked end to end", async () => {
    const p = tunnelProxy(200);
    const proxy = await listen(p.server);
    servers.push(p.server);
    expect(await reachable(`https://${origin}/ok`, { env: { https_proxy: `http://user:p%40ss@${proxy}` }, ca: certs.ca })).toBe(true);
    expect(p.seen).toEqual([{ target: origin, auth: `Basic ${Buffer.from("user:p@ss").toString("base64")}` }]);
    // Without the CA the certificate is refused, tunnel or not.
    expect(await reachable(`https://${origin}/ok`, { env: { HTTPS_PROXY: `http://${proxy}` } })).toBe(false);
    expect(p.seen).toHaveLength(2);
  });

  it("a proxy that refuses the tunnel, one that is not there, or a proxy value that is no URL: not reachable, no throw", async () => {
    const p = tunnelProxy(407);
    const proxy = await listen(p.server);
    servers.push(p.server);
    expect(await reachable(`https://${origin}/ok`, { env: { HTTPS_PROXY: proxy }, ca: certs.ca })).toBe(false);
    expect(p.seen.map((s) => s.target)).toEqual([origin]);
    const gone = createHttpServer();
    const closed = await listen(gone);
    await new Promise((r) => gone.close(r));
    expect(await reachable(`https://${origin}/ok`, { env: { HTTPS_PROXY: `http://${closed}` }, ca: certs.ca })).toBe(false);
    expect(await reachable(`https://${origin}/ok`, { env: { HTTPS_PROXY: "ftp://x" }, ca: certs.ca })).toBe(true);
  });

  it("NO_PROXY naming the host goes direct", async () => {
    const p = tunnelProxy(200);
    const proxy = await listen(p.server);
    servers.push(p.server);
    expect(await reachable(`https://${origin}/ok`, { env: { HTTPS_PROXY: `http://${proxy}`, NO_PROXY: "localhost, 127.0.0.1" }, ca: certs.ca })).toBe(true);
    expect(p.seen).toEqual([]);
  });

  it("a proxy that accepts and never answers: false within the time limit", async () => {
    const silent = createHttpServer();
    silent.on("connect", () => undefined);
    const proxy = await listen(silent);
    servers.push(silent);
    expect(await reachable(`https://${origin}/ok`, { env: { HTTPS_PROXY: `http://${proxy}` }, ca: certs.ca, timeoutMs: 300 })).toBe(false);
  });
});

describe("NO_PROXY and HTTPS_PROXY parsing", () => {
  it("matches hosts, domains with and without a leading dot, ports and *", () => {
    expect(bypassesProxy("registry.terraform.io", "443", "terraform.io")).toBe(true);
    expect(bypassesProxy("registry.terraform.io", "443", ".terraform.io")).toBe(true);
    expect(bypassesProxy("registry.terraform.io", "443", "*.terraform.io")).toBe(true);
    expect(bypassesProxy("registry.terraform.io", "443", "form.io")).toBe(false);
    expect(bypassesProxy("registry.terraform.io", "443", "registry.terraform.io:8443")).toBe(false);
    expect(bypassesProxy("registry.terraform.io", "443", "REGISTRY.terraform.io:443")).toBe(true);
    expect(bypassesProxy("::1", "443", "[::1]")).toBe(true);
    expect(bypassesProxy("::1", "443", "::1")).toBe(true);
    expect(bypassesProxy("::1", "443", "[::1]:80")).toBe(false);
    expect(bypassesProxy("x", "443", "*")).toBe(true);
    expect(bypassesProxy("x", "443", undefined)).toBe(false);
    expect(proxyFor(new URL("https://registry.terraform.io/"), { HTTPS_PROXY: "proxy.corp:3128" })?.href).toBe("http://proxy.corp:3128/");
  });

  it("property: hostile NO_PROXY and HTTPS_PROXY values never throw, and * always bypasses", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.domain(), (noProxy, proxy, host) => {
        bypassesProxy(host, "443", noProxy);
        proxyFor(new URL(`https://${host}/`), { HTTPS_PROXY: proxy, NO_PROXY: noProxy });
        expect(bypassesProxy(host, "443", `${noProxy},*`)).toBe(true);
        expect(bypassesProxy(host, "443", `${noProxy},${host}`)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
