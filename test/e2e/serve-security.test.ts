import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { startServeCli, type ServeProcess } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";

const SPEC = join(REPO, "test", "fixtures", "api", "serve-security.yaml");
const PYTHON = { PICOFUN_PYTHON: join(REPO, ".cache", "venv", "bin", "python") };
const KEY = "k-1";
const POOL = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123";
const ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123";
const BASIC = `Basic ${Buffer.from("ann:secret").toString("base64")}`;

const echo = `import json\n\ndef handler(event, context):\n    return {"statusCode": 200, "body": json.dumps({"authorizer": event["requestContext"]["authorizer"]})}\n`;
const policy = (allow: string) =>
  `def handler(event, context):\n    effect = "Allow" if ${allow} else "Deny"\n    return {"principalId": "p-" + event["type"], "policyDocument": {"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]}, "context": {"via": event["type"]}}\n`;
const headerOf = (name: string) => `{k.lower(): v for k, v in (event.get("headers") or {}).items()}.get("${name}")`;

/** An unsigned JWT (serve does not verify signatures; the deployed API does). */
function jwt(payload: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${part({ alg: "RS256", kid: "k" })}.${part(payload)}.c2ln`;
}
const future = () => Math.floor(Date.now() / 1000) + 3600;

function project(extra: string[] = []): string {
  const dir = tempProject();
  copyFileSync(SPEC, join(dir, "serve-security.yaml"));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "sec"', 'spec = "serve-security.yaml"', 'kind = "api"', 'runtime = "python3.13"', "[api]", ...extra].join("\n") + "\n");
  return dir;
}

describeWithTools("picofun serve enforces the api kind's security model", ["python"], () => {
  let dir: string;
  let serve: ServeProcess;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${serve.url}${path}`, { headers });
  beforeAll(async () => {
    dir = project([`cognito_user_pools = ["${POOL}"]`]);
    // generate names the stubs; serve must run the same files.
    const gen = await runCli(["generate"], { cwd: dir, timeoutMs: 120_000 });
    expect(gen.code, gen.stderr).toBe(0);
    const handlers = join(dir, "handlers");
    for (const f of readdirSync(handlers)) if (f.endsWith(".py")) writeFileSync(join(handlers, f), echo);
    writeFileSync(join(handlers, "authorize_qtoken.py"), policy(`(event.get("queryStringParameters") or {}).get("token") == "good"`));
    // operationId authorize_basic takes that name: the basic authorizer's stub is authorize_basic_2.
    expect(existsSync(join(handlers, "authorize_basic_2.py"))).toBe(true);
    writeFileSync(join(handlers, "authorize_basic_2.py"), policy(`${headerOf("authorization")} == ${JSON.stringify(BASIC)}`));
    serve = await startServeCli(dir, ["--api-key", KEY], PYTHON);
  }, 180_000);
  afterAll(async () => {
    await serve?.stop();
  });

  it("leaves security: [] open, applies the document's requirement to operations without their own", async () => {
    expect((await get("/open")).status).toBe(200);
    expect((await get("/collide")).status).toBe(200);
    expect((await get("/root")).status).toBe(403);
    expect((await get("/root", { "x-api-key": KEY })).status).toBe(200);
  });

  it("requires the API key AND the authorizer of one requirement", async () => {
    expect((await get("/both?token=good")).status).toBe(403);
    expect((await get("/both", { "x-api-key": KEY })).status).toBe(401);
    expect((await get("/both?token=bad", { "x-api-key": KEY })).status).toBe(403);
    const ok = await get("/both?token=good", { "x-api-key": KEY });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).authorizer).toMatchObject({ principalId: "p-REQUEST", via: "REQUEST" });
  });

  it("of OR alternatives enforces the first API Gateway can (basic, not digest), with the stub generate named", async () => {
    expect((await get("/either")).status).toBe(401);
    expect((await get("/either", { Authorization: "Basic bm9ib2R5Og==" })).status).toBe(403);
    const ok = await get("/either", { Authorization: BASIC });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).authorizer).toMatchObject({ principalId: "p-REQUEST" });
  });

  it("lets optional credentials ({} among the alternatives) through, as API Gateway does", async () => {
    expect((await get("/optional")).status).toBe(200);
  });

  it("checks Cognito tokens locally (presence, expiry, issuer, token_use, scopes) and passes the claims on", async () => {
    expect((await get("/scoped")).status).toBe(401);
    expect((await get("/scoped", { Authorization: "not-a-jwt" })).status).toBe(401);
    const access = { iss: ISSUER, token_use: "access", exp: future(), sub: "u-1", scope: "orders/read orders/write" };
    expect((await get("/scoped", { Authorization: jwt({ ...access, exp: 1000 }) })).status).toBe(401);
    expect((await get("/scoped", { Authorization: jwt({ ...access, iss: "https://elsewhere.example.com" }) })).status).toBe(401);
    expect((await get("/scoped", { Authorization: jwt({ ...access, scope: "orders/write" }) })).status).toBe(401);
    const ok = await get("/scoped", { Authorization: jwt(access) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).authorizer).toEqual({ claims: { iss: ISSUER, token_use: "access", exp: String(access.exp), sub: "u-1", scope: "orders/read orders/write" } });
    expect((await get("/idtoken", { Authorization: jwt(access) })).status).toBe(401);
    const id = await get("/idtoken", { Authorization: `Bearer ${jwt({ iss: ISSUER, token_use: "id", exp: future(), email: "a@example.com", email_verified: true })}` });
    expect(id.status).toBe(200);
    expect(((await id.json()) as any).authorizer.claims).toMatchObject({ email: "a@example.com", email_verified: "true" });
    expect(serve.log()).toMatch(/Cognito authorizer oidc: .*signatures are not verified locally/);
  });
});

describeWithTools("picofun serve with a scheme API Gateway cannot enforce", ["python"], () => {
  const only = (dir: string) => {
    const spec = join(dir, "serve-security.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("        - digest: []\n        - basic: []\n", "        - digest: []\n"));
  };

  it("refuses to serve it, as generate refuses to generate it (one error line, exit 1), also when the stubs exist", async () => {
    const dir = project();
    only(dir);
    const r = await runCli(["serve", "--port", "0"], { cwd: dir, env: PYTHON, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^picofun: error: .*GET \/either.*"digest".*allow_unenforced_security[^\n]*\n$/);
    // Stubs generated with the opt-out, which is then removed: serve checks by itself (no generate runs).
    const toml = join(dir, "picofun.toml");
    writeFileSync(toml, readFileSync(toml, "utf8") + "allow_unenforced_security = true\n");
    expect((await runCli(["generate"], { cwd: dir, timeoutMs: 120_000 })).code).toBe(0);
    writeFileSync(toml, readFileSync(toml, "utf8").replace("allow_unenforced_security = true\n", ""));
    const again = await runCli(["serve", "--port", "0"], { cwd: dir, env: PYTHON, timeoutMs: 60_000 });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^picofun: error: .*API Gateway cannot enforce the spec's security: operation GET \/either \(getEither\) requires security scheme "digest".*to serve it unprotected\)\n$/);
  }, 180_000);

  it("serves it open with allow_unenforced_security = true", async () => {
    const dir = project(["allow_unenforced_security = true", `cognito_user_pools = ["${POOL}"]`]);
    only(dir);
    const serve = await startServeCli(dir, ["--api-key", KEY], PYTHON);
    try {
      expect((await fetch(`${serve.url}/either`)).status).toBe(501);
    } finally {
      await serve.stop();
    }
  }, 120_000);
});
