import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { invokeNodeStub, invokePythonStub } from "../support/proxy.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, planned, terraform, type TerraformCheck } from "../support/terraform.js";

const SECURED = join(REPO, "test", "fixtures", "api", "secured.yaml");
const POOL = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123";
const M = "module.generated.";

function project(extra: string[] = [], spec = SECURED): string {
  const dir = tempProject();
  copyFileSync(spec, join(dir, "api.yaml"));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "sec"', 'spec = "api.yaml"', 'kind = "api"', ...extra].join("\n") + "\n");
  return dir;
}

async function generateIn(dir: string): Promise<string> {
  const res = await runCli([], { cwd: dir });
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
  return res.stdout;
}

/**
 * The API definition as Terraform renders it (templatefile, run by terraform itself), with a
 * recognisable invoke ARN per function: what the plan's `body` becomes once ARNs are known.
 */
async function renderedBody(outputDir: string): Promise<Record<string, any>> {
  const functions = JSON.parse(readFileSync(join(outputDir, "functions.tf.json"), "utf8")).locals;
  const names = [...Object.keys(functions.functions), ...Object.keys(functions.authorizers)];
  const uris = names.map((n) => `"${n}" = "arn:invoke:${n}"`).join(", ");
  const expr = `templatefile("${join(outputDir, "openapi.json.tftpl")}", { uris = { ${uris} } })`;
  const dir = mkdtempSync(join(tmpdir(), "picofun-console-"));
  writeFileSync(join(dir, "main.tf"), `output "body" {\n  value = ${expr}\n}\n`);
  const res = await terraform(["apply", "-auto-approve", "-input=false", "-lock=false"], dir);
  expect(res.code, res.out).toBe(0);
  const out = await terraform(["output", "-raw", "body"], dir);
  return JSON.parse(out.out);
}

const operationsOf = (body: Record<string, any>) =>
  Object.fromEntries(Object.entries<any>(body.paths).flatMap(([path, item]) => Object.entries<any>(item).map(([m, op]) => [`${m.toUpperCase()} ${path}`, op])));

describeWithTools("api kind: security enforced by API Gateway (terraform plan)", ["terraform"], () => {
  let dir: string;
  let tf: TerraformCheck;
  let body: Record<string, any>;
  beforeAll(async () => {
    dir = project();
    await generateIn(dir);
    tf = await checkTerraform(join(dir, "output"));
    body = await renderedBody(join(dir, "output"));
  }, 240_000);

  it("validates, is fmt-clean and plans", () => {
    expect(tf.codes[1], tf.validate).toBe(0);
    expect(tf.codes[2], tf.fmt).toBe(0);
    expect(tf.codes[3], tf.plan).toBe(0);
  });

  it("each secured operation names its requirement, the open one its explicit security: []; the root security is gone", () => {
    const ops = operationsOf(body);
    expect(body.security).toBeUndefined();
    // Open on purpose in the spec, so a linter of the deployed definition can tell it from a forgotten one.
    expect(ops["GET /pets"].security).toEqual([]);
    expect(ops["POST /pets"].security).toEqual([{ bearerAuth: [] }]);
    expect(ops["GET /pets/{petId}"].security).toEqual([{ apiKey: [] }]);
    expect(ops["GET /reports"].security).toEqual([{ basicAuth: [] }]);
    expect(ops["GET /search"].security).toEqual([{ queryKey: [] }]);
    expect(ops["GET /pets/{petId}/photo"].security).toEqual([{ oauth: [] }]);
  });

  it("security schemes are ones API Gateway enforces: the API key and Lambda authorizers wired to their functions", () => {
    const s = body.components.securitySchemes;
    expect(Object.keys(s).sort()).toEqual(["apiKey", "basicAuth", "bearerAuth", "oauth", "queryKey"]);
    expect(s.apiKey).toEqual({ type: "apiKey", name: "x-api-key", in: "header" });
    expect(s.bearerAuth["x-amazon-apigateway-authorizer"]).toEqual({
      type: "token",
      identitySource: "method.request.header.Authorization",
      authorizerUri: "arn:invoke:sec_authorize_bearerAuth",
      authorizerResultTtlInSeconds: 0,
    });
    expect(s.basicAuth["x-amazon-apigateway-authorizer"]).toMatchObject({ type: "request", identitySource: "method.request.header.Authorization" });
    expect(s.queryKey["x-amazon-apigateway-authorizer"]).toMatchObject({ type: "request", identitySource: "method.request.querystring.key", authorizerUri: "arn:invoke:sec_authorize_queryKey" });
    for (const v of Object.values<any>(s)) expect(v.type).toBe("apiKey");
    expect(body["x-amazon-apigateway-api-key-source"]).toBe("HEADER");
  });

  it("validators and binary media types are in the body; gateway errors are JSON", () => {
    const ops = operationsOf(body);
    expect(body["x-amazon-apigateway-request-validators"].all).toEqual({ validateRequestBody: true, validateRequestParameters: true });
    expect(ops["POST /pets"]["x-amazon-apigateway-request-validator"]).toBe("all");
    expect(ops["GET /pets/{petId}"]["x-amazon-apigateway-request-validator"]).toBe("params-only");
    expect(ops["GET /pets"]["x-amazon-apigateway-request-validator"]).toBeUndefined();
    expect(body["x-amazon-apigateway-binary-media-types"]).toEqual(["application/octet-stream", "image/png"]);
    expect(body["x-amazon-apigateway-gateway-responses"].DEFAULT_4XX.responseTemplates["application/json"]).toBe('{"message":$context.error.messageString}');
  });

  it("usage plan, API key (sensitive outputs) and the authorizers' invoke rights are planned", () => {
    const plan = planned(tf, `${M}aws_api_gateway_usage_plan.this[0]`)!;
    expect(plan.values.api_stages).toEqual([expect.objectContaining({ stage: "v1" })]);
    expect(planned(tf, `${M}aws_api_gateway_api_key.this[0]`)).toBeDefined();
    expect(planned(tf, `${M}aws_api_gateway_usage_plan_key.this[0]`)!.values.key_type).toBe("API_KEY");
    for (const a of ["basicAuth", "bearerAuth", "oauth", "queryKey"]) {
      expect(planned(tf, `${M}aws_lambda_function.this["sec_authorize_${a}"]`)!.values.handler).toBe(`authorize_${a}.handler`);
      expect(planned(tf, `${M}aws_lambda_permission.authorizer["sec_authorize_${a}"]`)!.values.principal).toBe("apigateway.amazonaws.com");
      // An authorizer is no operation: API Gateway does not invoke it as an integration.
      expect(planned(tf, `${M}aws_lambda_permission.api["sec_authorize_${a}"]`)).toBeUndefined();
    }
    const outputs = readFileSync(join(dir, "output", "outputs.tf"), "utf8");
    expect(outputs).toMatch(/output "api_key_value" \{[^}]*sensitive   = true/);
    expect(outputs).toMatch(/output "api_key_id" \{[^}]*sensitive   = true/);
  });

  it("the stage logs JSON access lines to a log group with retention; methods are throttled, with metrics", () => {
    const stage = planned(tf, `${M}aws_api_gateway_stage.this`)!;
    expect(stage.values.xray_tracing_enabled).toBe(true);
    const format = JSON.parse(((stage.values.access_log_settings as any[])[0]).format);
    expect(format).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
    expect(planned(tf, `${M}aws_cloudwatch_log_group.access`)!.values.retention_in_days).toBe(14);
    const settings = (planned(tf, `${M}aws_api_gateway_method_settings.all`)!.values.settings as any[])[0];
    expect(settings).toMatchObject({ throttling_rate_limit: 100, throttling_burst_limit: 50, metrics_enabled: true, logging_level: "ERROR" });
    expect(planned(tf, `${M}aws_api_gateway_account.this[0]`)).toBeDefined();
  });
});

describeWithTools("api kind: Cognito authorizers and CORS (terraform)", ["terraform"], () => {
  it("bearer and oauth2 use the configured user pools, with the oauth2 scopes; CORS answers OPTIONS and gateway errors", async () => {
    const dir = project(["[api]", `cognito_user_pools = ["${POOL}"]`, "[api.cors]", 'origins = ["https://app.example.com"]', 'headers = ["Content-Type", "Authorization"]']);
    const out = await generateIn(dir);
    expect(out).toMatch(/OPTIONS operation/);
    const functions = JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.authorizers;
    expect(Object.keys(functions).sort()).toEqual(["sec_authorize_basicAuth", "sec_authorize_queryKey"]);
    expect(existsSync(join(dir, "handlers", "authorize_bearerAuth.py"))).toBe(false);
    const tf = await checkTerraform(join(dir, "output"));
    expect(tf.codes, tf.plan).toEqual([0, 0, 0, 0]);
    const body = await renderedBody(join(dir, "output"));
    const s = body.components.securitySchemes;
    expect(s.bearerAuth["x-amazon-apigateway-authtype"]).toBe("cognito_user_pools");
    expect(s.bearerAuth["x-amazon-apigateway-authorizer"]).toEqual({ type: "cognito_user_pools", providerARNs: [POOL] });
    const ops = operationsOf(body);
    expect(ops["GET /pets/{petId}/photo"].security).toEqual([{ oauth: ["pets:read"] }]);
    const preflight = ops["OPTIONS /pets"];
    expect(preflight.security).toBeUndefined();
    expect(preflight["x-amazon-apigateway-integration"].type).toBe("mock");
    expect(preflight["x-amazon-apigateway-integration"].responses.default.responseParameters).toEqual({
      "method.response.header.Access-Control-Allow-Origin": "'https://app.example.com'",
      "method.response.header.Access-Control-Allow-Methods": "'GET,POST,OPTIONS'",
      "method.response.header.Access-Control-Allow-Headers": "'Content-Type,Authorization'",
    });
    expect(body["x-amazon-apigateway-gateway-responses"].DEFAULT_4XX.responseParameters["gatewayresponse.header.Access-Control-Allow-Origin"]).toBe("'https://app.example.com'");
  }, 240_000);
});

const TOKEN_EVENT = (token?: string) => ({
  type: "TOKEN",
  methodArn: "arn:aws:execute-api:eu-west-1:123456789012:abc123defg/v1/POST/pets",
  ...(token === undefined ? {} : { authorizationToken: token }),
});
const REQUEST_EVENT = (headers: Record<string, string>, query: Record<string, string> | null = null) => ({
  type: "REQUEST",
  methodArn: "arn:aws:execute-api:eu-west-1:123456789012:abc123defg/v1/GET/reports",
  headers,
  queryStringParameters: query,
});
const effectOf = (r: any) => r.policyDocument.Statement[0].Effect;

describeWithTools("api kind: Lambda authorizer stubs deny by default", ["python"], () => {
  let dir: string;
  beforeAll(async () => {
    dir = project();
    await generateIn(dir);
  });

  it("Python: ruff-clean; a credential gets a Deny policy, no credential is Unauthorized (401)", async () => {
    const handlers = join(dir, "handlers");
    const lint = await runPython(["-m", "ruff", "check", "--no-cache", handlers]);
    expect(lint.code, lint.stdout).toBe(0);
    const format = await runPython(["-m", "ruff", "format", "--check", "--no-cache", handlers]);
    expect(format.code, format.stdout).toBe(0);
    const denied = (await invokePythonStub(handlers, "authorize_bearerAuth", TOKEN_EVENT("Bearer eyJ.abc"))) as any;
    expect(denied).toEqual({
      principalId: "caller",
      policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Deny", Resource: TOKEN_EVENT().methodArn }] },
    });
    await expect(invokePythonStub(handlers, "authorize_bearerAuth", TOKEN_EVENT())).rejects.toThrow(/Unauthorized/);
    await expect(invokePythonStub(handlers, "authorize_bearerAuth", TOKEN_EVENT("Basic abc"))).rejects.toThrow(/Unauthorized/);
    const basic = `Basic ${Buffer.from("ann:secret").toString("base64")}`;
    expect(effectOf(await invokePythonStub(handlers, "authorize_basicAuth", REQUEST_EVENT({ Authorization: basic })))).toBe("Deny");
    await expect(invokePythonStub(handlers, "authorize_basicAuth", REQUEST_EVENT({ Authorization: "Basic !!" }))).rejects.toThrow(/Unauthorized/);
    expect(effectOf(await invokePythonStub(handlers, "authorize_queryKey", REQUEST_EVENT({}, { key: "k-1" })))).toBe("Deny");
    await expect(invokePythonStub(handlers, "authorize_queryKey", REQUEST_EVENT({}))).rejects.toThrow(/Unauthorized/);
  });

  it("Python: an authorizer whose is_allowed says yes allows (the check is the user's to write)", async () => {
    const stub = join(dir, "handlers", "authorize_bearerAuth.py");
    writeFileSync(stub, readFileSync(stub, "utf8").replace("    return False\n", '    return credential == "good"\n'));
    expect(effectOf(await invokePythonStub(join(dir, "handlers"), "authorize_bearerAuth", TOKEN_EVENT("Bearer good")))).toBe("Allow");
    expect(effectOf(await invokePythonStub(join(dir, "handlers"), "authorize_bearerAuth", TOKEN_EVENT("Bearer bad")))).toBe("Deny");
    // Kept on the next run.
    await generateIn(dir);
    expect(readFileSync(stub, "utf8")).toMatch(/credential == "good"/);
  });

  it("the stub's comments drop bidi and zero-width characters of the scheme description", () => {
    const text = readFileSync(join(dir, "handlers", "authorize_bearerAuth.py"), "utf8");
    expect(text).toMatch(/A JWT from the login service/);
    expect(text).not.toMatch(/[\u202e\u200b]/);
  });

  it("Node: parses, denies with a credential and rejects without one", async () => {
    const node = project(['runtime = "nodejs22.x"']);
    await generateIn(node);
    const handlers = join(node, "handlers");
    for (const f of readdirSync(handlers)) execFileSync(process.execPath, ["--check", join(handlers, f)]);
    expect(readFileSync(join(handlers, "authorize_bearerAuth.mjs"), "utf8")).not.toMatch(/[\u202e\u200b]/);
    expect(effectOf(await invokeNodeStub(join(handlers, "authorize_bearerAuth.mjs"), TOKEN_EVENT("Bearer x")))).toBe("Deny");
    await expect(invokeNodeStub(join(handlers, "authorize_bearerAuth.mjs"), TOKEN_EVENT())).rejects.toThrow(/Unauthorized/);
    const basic = `Basic ${Buffer.from("ann:secret").toString("base64")}`;
    expect(effectOf(await invokeNodeStub(join(handlers, "authorize_basicAuth.mjs"), REQUEST_EVENT({ authorization: basic })))).toBe("Deny");
    expect(effectOf(await invokeNodeStub(join(handlers, "authorize_queryKey.mjs"), REQUEST_EVENT({}, { key: "k" })))).toBe("Deny");
    await expect(invokeNodeStub(join(handlers, "authorize_queryKey.mjs"), REQUEST_EVENT({}, { __proto__: "x" } as any))).rejects.toThrow(/Unauthorized/);
  });
});

function digestSpec(): string {
  const dir = mkdtempSync(join(tmpdir(), "picofun-digest-"));
  const file = join(dir, "digest.yaml");
  writeFileSync(
    file,
    readFileSync(SECURED, "utf8")
      .replace("    basicAuth:\n      type: http\n      scheme: basic", "    basicAuth:\n      type: http\n      scheme: digest"),
  );
  return file;
}

describe("api kind: a security scheme API Gateway cannot enforce", () => {
  it("stops generation with one line naming the operation and the scheme, and writes nothing", async () => {
    const dir = project([], digestSpec());
    const res = await runCli([], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^picofun: error: .*security-scheme at #\/paths\/~1reports\/get\/security: operation GET \/reports \(getReport\) requires security scheme "basicAuth" \(http digest\).*allow_unenforced_security.*\n$/);
    expect(existsSync(join(dir, "handlers"))).toBe(false);
    expect(existsSync(join(dir, "output"))).toBe(false);
  });

  it("is a lint error too", async () => {
    const res = await runCli(["lint", digestSpec()]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^error +security-scheme +#\/paths\/~1reports\/get\/security +operation GET \/reports \(getReport\) requires security scheme "basicAuth"/m);
  });

  it("generates with allow_unenforced_security = true, warning that the operation is open", async () => {
    const dir = project(["[api]", "allow_unenforced_security = true"], digestSpec());
    const out = await generateIn(dir);
    expect(out).toMatch(/GET \/reports: security scheme "basicAuth" is not enforced by API Gateway/);
    const functions = JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.authorizers;
    expect(Object.keys(functions)).not.toContain("sec_authorize_basicAuth");
  });
});
