import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTokenServer, type LoopbackServer } from "../support/authServers.js";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { startPrism, type PrismServer } from "../support/prism.js";
import { invokeHandler, runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";
import { startSsm, type SsmStandIn } from "../support/ssm.js";

const SECRETS = {
  token: "bearer-s3cret-1",
  username: "alice",
  password: "pw-s3cret-2",
  apiKey: "key-s3cret-3",
  clientSecret: "client-s3cret-4",
};

const ok = { "200": { description: "ok", content: { "application/json": { schema: { type: "object" }, example: { ok: true } } } }, "401": { description: "no credentials" } };

/** Every supported way of sending credentials, one operation each; Prism checks they are present. */
export function secureSpec(tokenUrl: string): Record<string, unknown> {
  const op = (security?: unknown[]) => ({ get: { ...(security ? { security } : {}), responses: ok } });
  return {
    openapi: "3.0.3",
    info: { title: "Secure API", version: "1.0" },
    servers: [{ url: "https://api.example.com" }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer" },
        basicAuth: { type: "http", scheme: "basic" },
        headerKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        queryKey: { type: "apiKey", in: "query", name: "api_key" },
        cookieKey: { type: "apiKey", in: "cookie", name: "session_key" },
        clientCreds: { type: "oauth2", flows: { clientCredentials: { tokenUrl, scopes: { read: "read things" } } } },
        oidc: { type: "openIdConnect", openIdConnectUrl: "https://id.example.com/.well-known/openid-configuration" },
      },
    },
    security: [{ bearerAuth: [] }],
    paths: {
      "/bearer": op(),
      "/basic": op([{ basicAuth: [] }]),
      "/header-key": op([{ headerKey: [] }]),
      "/query-key": op([{ queryKey: [] }]),
      "/cookie-key": op([{ cookieKey: [] }]),
      "/public": { get: { security: [], responses: { "200": ok["200"] } } },
      "/oauth": op([{ clientCreds: ["read"] }]),
      "/choice": op([{ oidc: [] }, { headerKey: [] }, { basicAuth: [] }]),
    },
  };
}

describeWithTools("automatic authentication against Prism", ["python", "prism"], () => {
  let prism: PrismServer;
  let ssm: SsmStandIn;
  let tokens: LoopbackServer;
  let out: string;
  let summary: string;

  beforeAll(async () => {
    ssm = await startSsm();
    tokens = await startTokenServer("client-1", SECRETS.clientSecret);
    const dir = tempProject();
    const spec = join(dir, "secure.json");
    writeFileSync(spec, JSON.stringify(secureSpec(`${tokens.url}/token`), null, 2));
    prism = await startPrism(spec);
    out = join(dir, "output");
    const res = await runCli(["secure", spec, "--server-url", prism.url, "--output-dir", out], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    summary = res.stdout;
    ssm.set("/picorun/secure/credentials-http", JSON.stringify({ token: SECRETS.token, username: SECRETS.username, password: SECRETS.password }));
    ssm.set("/picorun/secure/credentials-api-key", JSON.stringify({ api_key: SECRETS.apiKey }));
    ssm.set("/picorun/secure/credentials-oauth2", JSON.stringify({ client_id: "client-1", client_secret: SECRETS.clientSecret }));
  });

  afterAll(async () => {
    await prism?.stop();
    await ssm?.stop();
    await tokens?.stop();
  });

  it("Prism really refuses calls without credentials (so the passes below mean something)", async () => {
    for (const path of ["/bearer", "/basic", "/header-key", "/query-key", "/cookie-key", "/oauth"]) {
      const res = await fetch(`${prism.url}${path}`);
      expect(res.status, path).toBe(401);
    }
  });

  for (const [module, what] of [
    ["get_bearer", "HTTP Bearer (from the document's security)"],
    ["get_basic", "HTTP Basic"],
    ["get_header_key", "an API key in a header"],
    ["get_query_key", "an API key in the query"],
    ["get_cookie_key", "an API key in a cookie"],
    ["get_choice", "the highest-priority supported alternative (Basic over API key; OpenID Connect skipped)"],
    ["get_oauth", "an OAuth2 client-credentials token"],
  ] as const) {
    it(`sends ${what} read from SSM through boto3`, async () => {
      const before = ssm.calls.length;
      const r = await invokeHandler(out, module, {}, ssm.env());
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(r.result!.statusCode).toBe(200);
      expect(ssm.calls.length).toBeGreaterThan(before);
      expect(ssm.calls.slice(before).every((c) => c.withDecryption)).toBe(true);
    });
  }

  it("the OAuth2 token came from the spec's token URL with the spec's scope", async () => {
    const seen = tokens.seen.filter((s) => s.url === "/token");
    expect(seen.length).toBeGreaterThan(0);
    expect(new URLSearchParams(seen[0].body).get("scope")).toBe("read");
    expect(new URLSearchParams(seen[0].body).get("grant_type")).toBe("client_credentials");
  });

  it("an operation with security: [] sends no credentials and never reads SSM", async () => {
    const before = ssm.calls.length;
    const r = await invokeHandler(out, "get_public", {}, { ...ssm.env(), AWS_ENDPOINT_URL_SSM: "http://127.0.0.1:9" });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.result!.statusCode).toBe(200);
    expect(ssm.calls.length).toBe(before);
  });

  it("a missing parameter is a named error that says which parameter and which keys", async () => {
    ssm.delete("/picorun/secure/credentials-api-key");
    try {
      const r = await invokeHandler(out, "get_header_key", {}, ssm.env());
      expect(r.ok).toBe(false);
      expect(r.error_type).toBe("CredentialsNotFoundError");
      expect(r.mro).toContain("CredentialsError");
      expect(r.message).toContain("/picorun/secure/credentials-api-key");
      // headerKey, queryKey and cookieKey share the parameter: its keys are their names.
      expect(r.message).toContain("the keys 'cookieKey', 'headerKey', 'queryKey' (one per security scheme)");
    } finally {
      ssm.set("/picorun/secure/credentials-api-key", JSON.stringify({ api_key: SECRETS.apiKey }));
    }
  });

  it("the summary prints the put-parameter command for each parameter, and no secret is in any generated file", () => {
    expect(summary).toContain(
      `aws ssm put-parameter --name "/picorun/secure/credentials-http" --type SecureString --key-id "$(terraform output -raw credentials_kms_key_arn)" --overwrite --value file://credentials-http.json`,
    );
    expect(summary).toContain(`credentials-http.json: {"basicAuth":{"username":"<username>","password":"<password>"},"bearerAuth":"<token>"}`);
    expect(summary).not.toMatch(/--value '/);
    expect(summary).toContain(`--name "/picorun/secure/credentials-api-key"`);
    expect(summary).toContain(`{"client_id":"<client id>","client_secret":"<client secret>"}`);
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(out);
    for (const f of files) {
      const text = readFileSync(f).toString("latin1");
      for (const s of Object.values(SECRETS).filter((v) => v !== "alice")) expect(text.includes(s), f).toBe(false);
    }
  });

  it("the generated Python passes ruff check and ruff format --check", async () => {
    const lint = await runPython(["-m", "ruff", "check", "--no-cache", join(out, "lambdas"), join(out, "layer")]);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    const format = await runPython(["-m", "ruff", "format", "--check", "--no-cache", join(out, "lambdas"), join(out, "layer")]);
    expect(format.code, format.stdout + format.stderr).toBe(0);
  });
});
