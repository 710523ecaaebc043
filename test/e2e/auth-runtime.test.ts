import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { TLSSocket } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { json, startLoopback, startTokenServer, type LoopbackServer } from "../support/authServers.js";
import { makeCerts, missingOpenssl, type TestCerts } from "../support/certs.js";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { invokeMany } from "../support/invokeMany.js";
import { invokeHandler } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";
import { startSsm, type SsmStandIn } from "../support/ssm.js";

const HTTP = "/picorun/rt/credentials-http";
const API_KEY = "/picorun/rt/credentials-api-key";
const OAUTH = "/picorun/rt/credentials-oauth2";
const MTLS = "/picorun/rt/credentials-mutual-tls";

const ok = { "200": { description: "ok" }, "401": { description: "no" } };

function runtimeSpec(apiUrl: string, tlsUrl: string, tokenUrl: string): Record<string, unknown> {
  const op = (security: unknown[], servers?: unknown[]) => ({ get: { security, ...(servers ? { servers } : {}), responses: ok } });
  return {
    openapi: "3.1.0",
    info: { title: "Runtime API", version: "1" },
    servers: [{ url: apiUrl }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer" },
        basicAuth: { type: "http", scheme: "basic" },
        headerKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        queryKey: { type: "apiKey", in: "query", name: "api_key" },
        cookieKey: { type: "apiKey", in: "cookie", name: "session_key" },
        clientCreds: { type: "oauth2", flows: { clientCredentials: { tokenUrl, scopes: { "orders:read": "read" } } } },
        mtls: { type: "mutualTLS" },
      },
    },
    paths: {
      "/bearer": op([{ bearerAuth: [] }]),
      "/basic": op([{ basicAuth: [] }]),
      "/header-key": op([{ headerKey: [] }]),
      "/query-key": op([{ queryKey: [] }]),
      "/cookie-key": op([{ cookieKey: [] }]),
      "/oauth": op([{ clientCreds: ["orders:read"] }]),
      "/mtls": op([{ mtls: [] }], [{ url: tlsUrl }]),
    },
  };
}

describeWithTools("automatic authentication: what is sent, caching, 401 retry, errors", ["python"], () => {
  let ssm: SsmStandIn;
  let api: LoopbackServer;
  let tokens: LoopbackServer;
  let out: string;
  /** Bearer tokens the API accepts right now. */
  const accepted = new Set<string>();

  beforeAll(async () => {
    ssm = await startSsm();
    tokens = await startTokenServer("rt-client", "rt-client-s3cret");
    api = await startLoopback((req, res) => {
      const auth = String(req.headers.authorization ?? "");
      if ((req.url.startsWith("/bearer") || req.url.startsWith("/oauth")) && !accepted.has(auth)) return json(res, 401, { message: "bad token" });
      json(res, 200, { ok: true });
    });
    const dir = tempProject();
    const spec = join(dir, "runtime.json");
    writeFileSync(spec, JSON.stringify(runtimeSpec(api.url, "https://127.0.0.1:9", `${tokens.url}/token`)));
    out = join(dir, "output");
    const res = await runCli(["rt", spec, "--output-dir", out], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
  });

  afterAll(async () => {
    await ssm?.stop();
    await api?.stop();
    await tokens?.stop();
  });

  beforeEach(() => {
    api.seen.length = 0;
    ssm.calls.length = 0;
    tokens.seen.length = 0;
    accepted.clear();
    ssm.set(HTTP, JSON.stringify({ token: "tok-a", username: "alice", password: "pw:s3cret" }));
    ssm.set(API_KEY, JSON.stringify({ api_key: "k3y-s3cret" }));
    ssm.set(OAUTH, JSON.stringify({ client_id: "rt-client", client_secret: "rt-client-s3cret" }));
  });

  it("puts each credential exactly where the scheme says", async () => {
    accepted.add("Bearer tok-a");
    const { outcomes } = await invokeMany(
      out,
      ["get_bearer", "get_basic", "get_header_key", "get_query_key", "get_cookie_key"].map((module) => ({ module })),
      ssm.env(),
    );
    for (const o of outcomes) expect(o.ok, JSON.stringify(o)).toBe(true);
    const byPath = (p: string) => api.seen.find((s) => s.url.startsWith(p))!;
    expect(byPath("/bearer").headers.authorization).toBe("Bearer tok-a");
    expect(byPath("/basic").headers.authorization).toBe(`Basic ${Buffer.from("alice:pw:s3cret").toString("base64")}`);
    expect(byPath("/header-key").headers["x-api-key"]).toBe("k3y-s3cret");
    expect(byPath("/header-key").headers.authorization).toBeUndefined();
    expect(new URL(byPath("/query-key").url, api.url).searchParams.get("api_key")).toBe("k3y-s3cret");
    expect(byPath("/cookie-key").headers.cookie).toBe("session_key=k3y-s3cret");
    // One parameter read per credential type: the cache serves the rest.
    expect(ssm.calls.map((c) => c.name).sort()).toEqual([API_KEY, HTTP]);
  });

  it("caches credentials for PICORUN_CREDENTIALS_TTL seconds; 0 reads them every time", async () => {
    const calls = [{ module: "get_basic" }, { module: "get_basic" }, { module: "get_basic" }];
    await invokeMany(out, calls, ssm.env());
    expect(ssm.calls.length).toBe(1);
    ssm.calls.length = 0;
    const { outcomes } = await invokeMany(out, calls, { ...ssm.env(), PICORUN_CREDENTIALS_TTL: "0" });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(ssm.calls.length).toBe(3);
  });

  it("after a 401 drops the cache, reads the rotated secret and retries once", async () => {
    ssm.set(HTTP, JSON.stringify({ token: "old-token" }), JSON.stringify({ token: "new-token" }));
    accepted.add("Bearer new-token");
    const r = await invokeHandler(out, "get_bearer", {}, ssm.env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.result!.statusCode).toBe(200);
    expect(api.seen.map((s) => s.headers.authorization)).toEqual(["Bearer old-token", "Bearer new-token"]);
    expect(ssm.calls.length).toBe(2);
  });

  it("a second 401 is raised (one retry only)", async () => {
    const r = await invokeHandler(out, "get_bearer", {}, ssm.env());
    expect(r.ok).toBe(false);
    expect(r.error_type).toBe("Http401Error");
    expect(api.seen.length).toBe(2);
  });

  it("OAuth2 client credentials: one token from the token endpoint serves several calls", async () => {
    const n = tokens.issued();
    accepted.add(`Bearer tok-${n + 1}`);
    const { outcomes } = await invokeMany(out, [{ module: "get_oauth" }, { module: "get_oauth" }, { module: "get_oauth" }], ssm.env());
    for (const o of outcomes) expect(o.ok, JSON.stringify(o)).toBe(true);
    expect(tokens.issued()).toBe(n + 1);
    const form = new URLSearchParams(tokens.seen[0].body);
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("scope")).toBe("orders:read");
    expect(tokens.seen[0].headers.authorization).toBe(`Basic ${Buffer.from("rt-client:rt-client-s3cret").toString("base64")}`);
    expect(api.seen.map((s) => s.headers.authorization)).toEqual(Array(3).fill(`Bearer tok-${n + 1}`));
  });

  it("OAuth2: a token the API rejects with 401 is dropped and a fresh one fetched for the retry", async () => {
    const n = tokens.issued();
    accepted.add(`Bearer tok-${n + 2}`);
    const r = await invokeHandler(out, "get_oauth", {}, ssm.env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(api.seen.map((s) => s.headers.authorization)).toEqual([`Bearer tok-${n + 1}`, `Bearer tok-${n + 2}`]);
    expect(tokens.issued()).toBe(n + 2);
  });

  it("the scopes stored in the parameter replace the spec's", async () => {
    ssm.set(OAUTH, JSON.stringify({ client_id: "rt-client", client_secret: "rt-client-s3cret", scopes: ["a", "b"] }));
    accepted.add(`Bearer tok-${tokens.issued() + 1}`);
    const r = await invokeHandler(out, "get_oauth", {}, ssm.env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(new URLSearchParams(tokens.seen[0].body).get("scope")).toBe("a b");
  });

  it("a wrong client secret is a TokenRequestError that names the error, not the secret", async () => {
    ssm.set(OAUTH, JSON.stringify({ client_id: "rt-client", client_secret: "wr0ng-s3cret" }));
    const r = await invokeHandler(out, "get_oauth", {}, ssm.env());
    expect(r.error_type).toBe("TokenRequestError");
    expect(r.message).toMatch(/answered 401 \(invalid_client\)/);
    expect(JSON.stringify(r)).not.toContain("wr0ng-s3cret");
  });

  it("a parameter the role may not read is a CredentialsError with SSM's reason", async () => {
    const other = "/picorun/rt2/credentials-http";
    ssm.deny(other);
    const r = await invokeHandler(out, "get_basic", {}, { ...ssm.env(), PICORUN_CREDENTIALS_PREFIX: "/picorun/rt2" });
    expect(r.error_type).toBe("CredentialsError");
    expect(r.message).toBe(`cannot read SSM parameter ${other}: AccessDeniedException: not authorized to perform: ssm:GetParameter on resource: ${other}`);
  });

  it("malformed, incomplete and placeholder parameters are named errors without the secret", async () => {
    const cases: Array<[string, RegExp]> = [
      // Bearer and Basic share the http parameter: its object is keyed by scheme name.
      ["not json: pw-l3aked", /does not hold a JSON object: expected the keys 'basicAuth', 'bearerAuth' \(one per security scheme\)/],
      [JSON.stringify(["pw-l3aked"]), /does not hold a JSON object/],
      [JSON.stringify({ username: "alice", passwd: "pw-l3aked" }), /lacks 'basicAuth': expected a JSON object with the keys 'basicAuth', 'bearerAuth'/],
      [JSON.stringify({ basicAuth: { username: "alice", passwd: "pw-l3aked" } }), /lacks 'password' under 'basicAuth': expected a JSON object with the keys 'username', 'password'/],
      ["picofun:placeholder (replace with aws ssm put-parameter --overwrite)", /still holds the placeholder/],
    ];
    for (const [value, message] of cases) {
      ssm.set(HTTP, value);
      const { outcomes, stdout, stderr } = await invokeMany(out, [{ module: "get_basic" }], ssm.env());
      const r = outcomes[0];
      expect(r.mro, value).toContain("MalformedCredentialsError");
      expect(r.message).toContain(HTTP);
      expect(r.message).toMatch(message);
      expect(stdout + stderr).not.toContain("l3aked");
    }
  });
});

const noOpenssl = missingOpenssl();
const describeTls = noOpenssl ? describe.skip : describe;
if (noOpenssl) console.warn(`[skip] mutual TLS: ${noOpenssl}`);

describeWithTools("automatic authentication: mutual TLS", ["python"], () => {
  describeTls("with a loopback HTTPS server that requires a client certificate", () => {
    let certs: TestCerts;
    let ssm: SsmStandIn;
    let server: HttpsServer;
    let out: string;
    const peers: string[] = [];

    beforeAll(async () => {
      certs = makeCerts();
      ssm = await startSsm();
      server = createHttpsServer(
        { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true, rejectUnauthorized: true },
        (req, res) => {
          peers.push((req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? "");
          res.writeHead(200, { "Content-Type": "application/json" });
          res.end('{"ok":true}');
        },
      );
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      const dir = tempProject();
      const spec = join(dir, "runtime.json");
      writeFileSync(spec, JSON.stringify(runtimeSpec("http://127.0.0.1:9", `https://127.0.0.1:${port}`, "http://127.0.0.1:9/token")));
      out = join(dir, "output");
      const res = await runCli(["rt", spec, "--output-dir", out], { cwd: dir });
      expect(res.code, res.stderr).toBe(0);
    });

    afterAll(async () => {
      await ssm?.stop();
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    });

    it("presents the client certificate; cert and key are written once, mode 0600", async () => {
      ssm.set(MTLS, JSON.stringify({ cert: certs.clientCert, key: certs.clientKey, ca: certs.ca }));
      const tmp = mkdtempSync(join(tmpdir(), "picofun-lambda-tmp-"));
      const calls = [{ module: "get_mtls" }, { module: "get_mtls" }, { module: "get_mtls" }];
      const { outcomes } = await invokeMany(out, calls, { ...ssm.env(), TMPDIR: tmp, PICORUN_CREDENTIALS_TTL: "0" });
      for (const o of outcomes) expect(o.ok, JSON.stringify(o)).toBe(true);
      expect(peers).toEqual(["picorun-client", "picorun-client", "picorun-client"]);
      // Read three times (TTL 0), written once: the value did not change.
      expect(ssm.calls.length).toBe(3);
      const dirs = readdirSync(tmp).filter((d) => d.startsWith("picorun-mtls-"));
      expect(dirs.length).toBe(1);
      expect(statSync(join(tmp, dirs[0])).mode & 0o777).toBe(0o700);
      for (const f of ["cert.pem", "key.pem"]) expect(statSync(join(tmp, dirs[0], f)).mode & 0o777).toBe(0o600);
    });

    it("a key that does not load is a named error without the key", async () => {
      ssm.set(MTLS, JSON.stringify({ cert: certs.clientCert, key: "-----BEGIN PRIVATE KEY-----\nbm9wZS1sM2FrZWQ=\n-----END PRIVATE KEY-----\n" }));
      const r = await invokeHandler(out, "get_mtls", {}, ssm.env());
      expect(r.error_type).toBe("MalformedCredentialsError");
      expect(r.message).toContain(MTLS);
      expect(JSON.stringify(r)).not.toContain("bm9wZS1sM2FrZWQ");
    });
  });
});
