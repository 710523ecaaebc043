import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { json, startLoopback, startRefreshServer, startTokenServer, type LoopbackServer } from "../support/authServers.js";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { invokeMany } from "../support/invokeMany.js";
import { invokeHandler, runPython } from "../support/python.js";
import { startSecretsManager, type SecretsStandIn } from "../support/secretsManager.js";
import { describeWithTools } from "../support/skip.js";
import { startSsm, type SsmStandIn } from "../support/ssm.js";

const API_KEY = "/picorun/fl/credentials-api-key";
const OAUTH = "/picorun/fl/credentials-oauth2";
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";

/** Generated auth hooks of the first suite, linted with the second's. */
const ruffTargets: string[] = [];

const ok = { "200": { description: "ok" }, "401": { description: "no" } };
const op = (security: unknown[]) => ({ get: { security, responses: ok } });

function flowsSpec(api: string, codeServer: string, oidcServer: string): Record<string, unknown> {
  return {
    openapi: "3.0.3",
    info: { title: "Flows API", version: "1" },
    servers: [{ url: api }],
    components: {
      securitySchemes: {
        headerKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        clientId: { type: "apiKey", in: "query", name: "client_id" },
        code: {
          type: "oauth2",
          flows: { authorizationCode: { authorizationUrl: `${codeServer}/authorize`, tokenUrl: `${codeServer}/token`, scopes: {} } },
        },
        oidc: { type: "openIdConnect", openIdConnectUrl: `${oidcServer}/.well-known/openid-configuration` },
        implicit: { type: "oauth2", flows: { implicit: { authorizationUrl: "https://login.example.com/authorize", scopes: { "user.read": "r" } } } },
      },
    },
    paths: {
      "/both": op([{ headerKey: [], clientId: [] }]),
      "/code": op([{ code: [] }]),
      "/oidc": op([{ oidc: [] }]),
      "/implicit": op([{ implicit: ["user.read"] }]),
    },
  };
}

describeWithTools("automatic authentication: AND requirements, refresh tokens, OpenID Connect, fixed tokens", ["python"], () => {
  let ssm: SsmStandIn;
  let api: LoopbackServer;
  let code: Awaited<ReturnType<typeof startRefreshServer>>;
  let oidc: Awaited<ReturnType<typeof startRefreshServer>>;
  let cc: Awaited<ReturnType<typeof startTokenServer>>;
  let out: string;
  let summary: string;
  const accepted = new Set<string>();
  const env = () => ({ ...ssm.env(), PICORUN_CREDENTIALS_KEY_ID: KEY_ARN });
  const oauthValue = (codeRefresh: string) =>
    JSON.stringify({
      code: { refresh_token: codeRefresh, client_id: "code-client", client_secret: "code-s3cret" },
      oidc: { refresh_token: "oidc-rt", client_id: "public-app" },
      implicit: { access_token: "fixed-access-token" },
    });

  beforeAll(async () => {
    ssm = await startSsm();
    code = await startRefreshServer({ refreshToken: "rt-0", clientId: "code-client", clientSecret: "code-s3cret", rotate: true });
    oidc = await startRefreshServer({ refreshToken: "oidc-rt" });
    cc = await startTokenServer("svc-client", "svc-s3cret");
    api = await startLoopback((req, res) => {
      const url = new URL(req.url, "http://x");
      if (url.pathname === "/both") {
        const both = req.headers["x-api-key"] === "hk-s3cret" && url.searchParams.get("client_id") === "cid-1";
        return both ? json(res, 200, { ok: true }) : json(res, 401, { message: "both keys needed" });
      }
      if (!accepted.has(String(req.headers.authorization ?? ""))) return json(res, 401, { message: "bad token" });
      json(res, 200, { ok: true });
    });
    const dir = tempProject();
    writeFileSync(join(dir, "flows.json"), JSON.stringify(flowsSpec(api.url, code.url, oidc.url)));
    out = join(dir, "output");
    const res = await runCli(["fl", join(dir, "flows.json"), "--output-dir", out], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    summary = res.stdout;
    ruffTargets.push(join(out, "layer", "auth_hooks.py"));
  });

  afterAll(async () => {
    await Promise.all([ssm?.stop(), api?.stop(), code?.stop(), oidc?.stop(), cc?.stop()]);
  });

  beforeEach(() => {
    for (const s of [api, code, oidc, cc]) s.seen.length = 0;
    ssm.calls.length = 0;
    ssm.puts.length = 0;
    accepted.clear();
    code.setCurrent("rt-0");
    ssm.set(API_KEY, JSON.stringify({ headerKey: "hk-s3cret", clientId: "cid-1" }));
    ssm.set(OAUTH, oauthValue("rt-0"));
  });

  it("the summary shows the exact JSON of each shared parameter, keyed by scheme name", () => {
    expect(summary).toContain(`--name "${API_KEY}"`);
    expect(summary).toContain(`credentials-api-key.json: {"clientId":"<api key>","headerKey":"<api key>"}`);
    expect(summary).toContain("--value file://credentials-api-key.json");
    expect(summary).toContain(`"code":{"refresh_token":"<refresh token>","client_id":"<client id>","client_secret":"<client secret>"}`);
    expect(summary).toContain(`"implicit":{"refresh_token":"<refresh token>","client_id":"<client id>","client_secret":"<client secret>","token_url":"<token endpoint URL>"}`);
  });

  it("an AND of two API keys sends both in one request: the header and the query parameter", async () => {
    const r = await invokeHandler(out, "get_both", {}, env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(api.seen).toHaveLength(1);
    expect(api.seen[0].headers["x-api-key"]).toBe("hk-s3cret");
    expect(new URL(api.seen[0].url, api.url).searchParams.get("client_id")).toBe("cid-1");
    expect(ssm.calls.map((c) => c.name)).toEqual([API_KEY]);
  });

  it("a refresh token is exchanged at the flow's tokenUrl; the rotated one is written back and works after a cold start", async () => {
    const n = code.issued();
    accepted.add(`Bearer acc-${n + 1}`).add(`Bearer acc-${n + 2}`);
    const r = await invokeHandler(out, "get_code", {}, env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const form = new URLSearchParams(code.seen[0].body);
    expect(form.get("grant_type")).toBe("refresh_token");
    expect(form.get("refresh_token")).toBe("rt-0");
    expect(code.seen[0].headers.authorization).toBe(`Basic ${Buffer.from("code-client:code-s3cret").toString("base64")}`);
    expect(api.seen[0].headers.authorization).toBe(`Bearer acc-${n + 1}`);
    // Written back with boto3: SecureString, overwrite, the module's key, the other schemes kept.
    expect(ssm.puts).toHaveLength(1);
    expect(ssm.puts[0]).toMatchObject({ name: OAUTH, type: "SecureString", overwrite: true, keyId: KEY_ARN });
    expect(JSON.parse(ssm.puts[0].value)).toEqual({ ...JSON.parse(oauthValue("rt-0")), code: { refresh_token: `rt-${n + 1}`, client_id: "code-client", client_secret: "code-s3cret" } });
    // A new process (a cold start) reads the rotated token: rt-0 would now be invalid_grant.
    const again = await invokeHandler(out, "get_code", {}, env());
    expect(again.ok, JSON.stringify(again)).toBe(true);
    expect(new URLSearchParams(code.seen[1].body).get("refresh_token")).toBe(`rt-${n + 1}`);
    expect(JSON.parse(ssm.get(OAUTH)!).code.refresh_token).toBe(`rt-${n + 2}`);
  });

  it("a warm function reuses the access token; a 401 refreshes once and retries", async () => {
    accepted.add(`Bearer acc-${code.issued() + 1}`);
    const { outcomes } = await invokeMany(out, [{ module: "get_code" }, { module: "get_code" }], env());
    for (const o of outcomes) expect(o.ok, JSON.stringify(o)).toBe(true);
    expect(code.issued()).toBeGreaterThan(0);
    expect(code.seen).toHaveLength(1);
    accepted.clear();
    code.seen.length = 0;
    api.seen.length = 0;
    const n = code.issued();
    accepted.add(`Bearer acc-${n + 2}`);
    const r = await invokeMany(out, [{ module: "get_code" }, { module: "get_code" }], env());
    // First call: token n+1 rejected -> refresh -> n+2 accepted; second call reuses n+2.
    for (const o of r.outcomes) expect(o.ok, JSON.stringify(o)).toBe(true);
    expect(api.seen.map((s) => s.headers.authorization)).toEqual([`Bearer acc-${n + 1}`, `Bearer acc-${n + 2}`, `Bearer acc-${n + 2}`]);
    expect(code.seen).toHaveLength(2);
  });

  it("the token cache is bounded by PICORUN_CREDENTIALS_TTL even when the token lives longer", async () => {
    for (let i = 1; i <= 4; i++) accepted.add(`Bearer acc-${code.issued() + i}`);
    const { outcomes } = await invokeMany(out, [{ module: "get_code" }, { module: "get_code" }], { ...env(), PICORUN_CREDENTIALS_TTL: "0" });
    for (const o of outcomes) expect(o.ok, JSON.stringify(o)).toBe(true);
    expect(code.seen).toHaveLength(2);
  });

  it("openIdConnect: the discovery document's token_endpoint gets the refresh token (public client: client_id in the form)", async () => {
    accepted.add(`Bearer acc-${oidc.issued() + 1}`);
    const r = await invokeHandler(out, "get_oidc", {}, env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(oidc.seen.map((s) => `${s.method} ${s.url}`)).toEqual(["GET /.well-known/openid-configuration", "POST /oidc/token"]);
    const form = new URLSearchParams(oidc.seen[1].body);
    expect(form.get("refresh_token")).toBe("oidc-rt");
    expect(form.get("client_id")).toBe("public-app");
    expect(oidc.seen[1].headers.authorization).toBeUndefined();
    // Nothing rotated: nothing written.
    expect(ssm.puts).toEqual([]);
  });

  it("a fixed access token is sent as it is; client credentials go to the token_url the parameter names", async () => {
    accepted.add("Bearer fixed-access-token");
    const r = await invokeHandler(out, "get_implicit", {}, env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(api.seen[0].headers.authorization).toBe("Bearer fixed-access-token");
    ssm.set(OAUTH, JSON.stringify({ ...JSON.parse(oauthValue("rt-0")), implicit: { client_id: "svc-client", client_secret: "svc-s3cret", token_url: `${cc.url}/token` } }));
    accepted.add(`Bearer tok-${cc.issued() + 1}`);
    const r2 = await invokeHandler(out, "get_implicit", {}, env());
    expect(r2.ok, JSON.stringify(r2)).toBe(true);
    const form = new URLSearchParams(cc.seen[0].body);
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("scope")).toBe("user.read");
  });

  it("an implicit flow without token_url or access_token is a named error, without the secret", async () => {
    ssm.set(OAUTH, JSON.stringify({ ...JSON.parse(oauthValue("rt-0")), implicit: { client_id: "svc-client", client_secret: "l3aked-s3cret" } }));
    const r = await invokeHandler(out, "get_implicit", {}, env());
    expect(r.error_type).toBe("MalformedCredentialsError");
    expect(r.message).toBe(`SSM parameter ${OAUTH}: the spec names no token URL for implicit: add 'token_url', or store a fixed 'access_token'`);
    expect(JSON.stringify(r)).not.toContain("l3aked");
  });

  it("a refresh token another instance already rotated: read the parameter again once and use the new one", async () => {
    accepted.add(`Bearer acc-${code.issued() + 1}`);
    code.setCurrent("rt-elsewhere");
    // The first read sees the stale token, the fresh read after invalid_grant the rotated one.
    ssm.set(OAUTH, oauthValue("rt-stale"), oauthValue("rt-elsewhere"));
    const r = await invokeHandler(out, "get_code", {}, env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(code.seen.map((s) => new URLSearchParams(s.body).get("refresh_token"))).toEqual(["rt-stale", "rt-elsewhere"]);
  });
});

describeWithTools("automatic authentication: credentials in Secrets Manager under a parameter_prefix", ["python"], () => {
  let sm: SecretsStandIn;
  let api: LoopbackServer;
  let code: Awaited<ReturnType<typeof startRefreshServer>>;
  let out: string;
  let summary: string;

  beforeAll(async () => {
    sm = await startSecretsManager();
    code = await startRefreshServer({ refreshToken: "rt-0", clientId: "c", clientSecret: "s", rotate: true });
    api = await startLoopback((req, res) => {
      const auth = String(req.headers.authorization ?? "");
      json(res, auth === "Bearer sm-t0ken" || auth.startsWith("Bearer acc-") ? 200 : 401, {});
    });
    const dir = tempProject();
    const spec = {
      openapi: "3.1.0",
      info: { title: "SM API", version: "1" },
      servers: [{ url: api.url }],
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer" },
          code: { type: "oauth2", flows: { password: { tokenUrl: `${code.url}/token`, scopes: {} } } },
        },
      },
      paths: { "/bearer": op([{ bearerAuth: [] }]), "/code": op([{ code: [] }]) },
    };
    writeFileSync(join(dir, "sm.json"), JSON.stringify(spec));
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "sm"', 'spec = "sm.json"', "[auth]", 'store = "secretsmanager"', 'parameter_prefix = "/team/apis"'].join("\n"));
    const res = await runCli([], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    summary = res.stdout;
    out = join(dir, "output");
  });

  afterAll(async () => {
    await Promise.all([sm?.stop(), api?.stop(), code?.stop()]);
  });

  it("reads the secret with boto3 and sends it; the summary says put-secret-value", async () => {
    expect(summary).toContain(`aws secretsmanager put-secret-value --secret-id "/team/apis/sm/credentials-http" --secret-string file://credentials-http.json`);
    expect(summary).toContain(`credentials-http.json: {"token":"<token>"}`);
    sm.set("/team/apis/sm/credentials-http", JSON.stringify({ token: "sm-t0ken" }));
    const r = await invokeHandler(out, "get_bearer", {}, sm.env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(api.seen.at(-1)!.headers.authorization).toBe("Bearer sm-t0ken");
    expect(sm.calls).toEqual([{ target: "secretsmanager.GetSecretValue", secretId: "/team/apis/sm/credentials-http" }]);
  });

  it("the generated auth hooks of both stores pass ruff check and ruff format --check", async () => {
    const files = [join(out, "layer", "auth_hooks.py"), ...ruffTargets];
    const check = await runPython(["-m", "ruff", "check", "--no-cache", ...files]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const format = await runPython(["-m", "ruff", "format", "--check", "--no-cache", ...files]);
    expect(format.code, format.stdout + format.stderr).toBe(0);
  });

  it("a secret without a value is CredentialsNotFoundError saying how to put one", async () => {
    const r = await invokeHandler(out, "get_code", {}, sm.env());
    expect(r.error_type).toBe("CredentialsNotFoundError");
    expect(r.message).toMatch(/^secret \/team\/apis\/sm\/credentials-oauth2 does not exist or has no value yet: .*put-secret-value/);
  });

  it("a rotated refresh token is written back with PutSecretValue", async () => {
    sm.set("/team/apis/sm/credentials-oauth2", JSON.stringify({ refresh_token: "rt-0", client_id: "c", client_secret: "s" }));
    sm.calls.length = 0;
    const r = await invokeHandler(out, "get_code", {}, sm.env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(sm.calls.map((c) => c.target)).toEqual(["secretsmanager.GetSecretValue", "secretsmanager.GetSecretValue", "secretsmanager.PutSecretValue"]);
    expect(JSON.parse(sm.get("/team/apis/sm/credentials-oauth2")!)).toEqual({ refresh_token: "rt-1", client_id: "c", client_secret: "s" });
  });
});

const REFRESH_HOOKS = `import os
import urllib.request

from picorun.refresh import refreshing

_token = {}


def drop_token():
    _token.clear()


def _fetch():
    with urllib.request.urlopen(os.environ["TOKEN_SOURCE"]) as answer:
        return answer.read().decode()


@refreshing(statuses=(401, 404), invalidate=drop_token)
def add_token(args):
    if "value" not in _token:
        _token["value"] = _fetch()
    args.headers["Authorization"] = f"Bearer {_token['value']}"


def plain(args):
    if "value" not in _token:
        _token["value"] = _fetch()
    args.headers["Authorization"] = f"Bearer {_token['value']}"
`;

describeWithTools("a custom preprocessor asks for refresh-and-retry (404 for an expired token)", ["python"], () => {
  let api: LoopbackServer;
  let source: LoopbackServer;
  let issued = 0;
  const projects: Record<string, string> = {};

  beforeAll(async () => {
    source = await startLoopback((_req, res) => {
      issued += 1;
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end(`t-${issued}`);
    });
    // Like APIs that hide resources from expired tokens: 404 unless the token is current.
    api = await startLoopback((req, res) => json(res, req.headers.authorization === `Bearer t-${issued}` && issued >= 2 ? 200 : 404, {}));
    for (const hook of ["add_token", "plain"]) {
      const dir = tempProject();
      mkdirSync(join(dir, "bundle", "my_hooks"), { recursive: true });
      writeFileSync(join(dir, "bundle", "my_hooks", "__init__.py"), "");
      writeFileSync(join(dir, "bundle", "my_hooks", "hooks.py"), REFRESH_HOOKS);
      const spec = {
        openapi: "3.0.3",
        info: { title: "Hooked", version: "1" },
        servers: [{ url: api.url }],
        paths: { "/thing": { get: { responses: { "200": { description: "ok" }, "404": { description: "gone" } } } } },
      };
      writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
      writeFileSync(join(dir, "picofun.toml"), ['namespace = "hk"', 'spec = "spec.json"', 'bundle = "bundle"', `preprocessor = "my_hooks.hooks.${hook}"`].join("\n"));
      const res = await runCli([], { cwd: dir });
      expect(res.code, res.stderr).toBe(0);
      projects[hook] = dir;
    }
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), source?.stop()]);
  });

  it("after a 404 the marked preprocessor's cache is dropped and the request is retried once with a new token", async () => {
    issued = 0;
    api.seen.length = 0;
    const dir = projects.add_token;
    const r = await invokeHandler(join(dir, "output"), "get_thing", {}, { TOKEN_SOURCE: source.url }, [join(dir, "bundle")]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(api.seen.map((s) => s.headers.authorization)).toEqual(["Bearer t-1", "Bearer t-2"]);
  });

  it("an unmarked preprocessor gets no retry: the 404 is the answer", async () => {
    issued = 0;
    api.seen.length = 0;
    const dir = projects.plain;
    const r = await invokeHandler(join(dir, "output"), "get_thing", {}, { TOKEN_SOURCE: source.url }, [join(dir, "bundle")]);
    expect(r.error_type).toBe("Http404Error");
    expect(api.seen).toHaveLength(1);
  });
});
