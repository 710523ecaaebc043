import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { json, startLoopback, startTokenServer, type LoopbackServer } from "../support/authServers.js";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { invokeMany } from "../support/invokeMany.js";
import { describeWithTools } from "../support/skip.js";
import { startSsm, type SsmStandIn } from "../support/ssm.js";

// Issue 28, medium 9: an API that echoes the credential it was sent (a 401 body, a Location
// header) must not get it into the error Lambda reports (and Step Functions keeps in its history).

const TOKEN = "tok-Echo/s3cret+value==";
const USER = "alice";
const PASSWORD = "pw:S3cret w0rd";
const API_KEY = "k3y-echoed-s3cret";
const CLIENT_SECRET = "cl1ent-s3cret-echoed";

const secretForms = (secret: string): string[] => [
  secret,
  encodeURIComponent(secret),
  Buffer.from(secret).toString("base64"),
  JSON.stringify(secret).slice(1, -1),
];

function spec(apiUrl: string, tokenUrl: string): Record<string, unknown> {
  const op = (security: unknown[]) => ({ get: { security, responses: { "200": { description: "ok" } } } });
  return {
    openapi: "3.1.0",
    info: { title: "Echo API", version: "1" },
    servers: [{ url: apiUrl }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer" },
        basicAuth: { type: "http", scheme: "basic" },
        headerKey: { type: "apiKey", in: "header", name: "X-Tenant" },
        queryKey: { type: "apiKey", in: "query", name: "q" },
        cookieKey: { type: "apiKey", in: "cookie", name: "c" },
        clientCreds: { type: "oauth2", flows: { clientCredentials: { tokenUrl, scopes: {} } } },
      },
    },
    paths: {
      "/bearer": op([{ bearerAuth: [] }]),
      "/basic": op([{ basicAuth: [] }]),
      "/header-key": op([{ headerKey: [] }]),
      "/query-key": op([{ queryKey: [] }]),
      "/cookie-key": op([{ cookieKey: [] }]),
      "/oauth": op([{ clientCreds: [] }]),
    },
  };
}

describeWithTools("automatic authentication: a credential the API echoes is redacted from errors", ["python"], () => {
  let ssm: SsmStandIn;
  let api: LoopbackServer;
  let tokens: LoopbackServer;
  let out: string;

  beforeAll(async () => {
    ssm = await startSsm();
    tokens = await startTokenServer("echo-client", CLIENT_SECRET);
    // Every call is refused with everything it sent quoted back, in the body and in Location.
    api = await startLoopback((req, res) => {
      const sent = { authorization: req.headers.authorization, tenant: req.headers["x-tenant"], cookie: req.headers.cookie, url: req.url };
      res.setHeader("Location", `/login?was=${encodeURIComponent(JSON.stringify(sent))}&raw=${String(req.headers.authorization ?? req.headers["x-tenant"] ?? "")}`);
      res.setHeader("WWW-Authenticate", `Bearer error="invalid_token", error_description="${String(req.headers.authorization ?? "")}"`);
      json(res, 401, { message: "refused", sent });
    });
    const dir = tempProject();
    writeFileSync(join(dir, "echo.json"), JSON.stringify(spec(api.url, `${tokens.url}/token`)));
    out = join(dir, "output");
    const res = await runCli(["rd", join(dir, "echo.json"), "--output-dir", out], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    ssm.set("/picorun/rd/credentials-http", JSON.stringify({ token: TOKEN, username: USER, password: PASSWORD }));
    ssm.set("/picorun/rd/credentials-api-key", JSON.stringify({ api_key: API_KEY }));
    ssm.set("/picorun/rd/credentials-oauth2", JSON.stringify({ client_id: "echo-client", client_secret: CLIENT_SECRET }));
  }, 60_000);

  afterAll(async () => {
    await ssm?.stop();
    await api?.stop();
    await tokens?.stop();
  });

  it("bearer, basic, API keys (header, query, cookie) and OAuth2 tokens never appear in the error", async () => {
    const modules = ["get_bearer", "get_basic", "get_header_key", "get_query_key", "get_cookie_key", "get_oauth"];
    const { outcomes } = await invokeMany(out, modules.map((module) => ({ module })), ssm.env());
    // The server did echo the credentials it got.
    const echoed = JSON.stringify(api.seen.map((s) => [s.headers, s.url]));
    for (const secret of [TOKEN, API_KEY, "tok-1"]) expect(echoed).toContain(secret);
    const issued = Array.from({ length: 4 }, (_, i) => `tok-${i + 1}`);
    const secrets = [TOKEN, API_KEY, PASSWORD, `${USER}:${PASSWORD}`, CLIENT_SECRET];
    for (const [i, o] of outcomes.entries()) {
      expect(o.error_type, JSON.stringify(o)).toBe("Http401Error");
      const text = JSON.stringify(o);
      for (const secret of secrets) for (const form of secretForms(secret)) expect(text, `${modules[i]}: ${form}`).not.toContain(form);
      // OAuth2 access tokens are short here (tok-1): they are scrubbed as sent, in the Authorization echo.
      for (const token of issued) expect(text, modules[i]).not.toContain(`Bearer ${token}`);
      const message = JSON.parse(o.message!);
      expect(message.status).toBe(401);
      expect(message.body.message).toBe("refused");
      expect(message.headers.location).toContain("***");
    }
  }, 60_000);
});
