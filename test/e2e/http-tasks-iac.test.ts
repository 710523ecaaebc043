import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fillPlaceholders } from "../../src/kinds/client/stepfunctions/json.js";
import { aslErrors } from "../support/asl.js";
import { describeRequest } from "../support/httpTask.js";
import { cdkSynth, ofType, synthesizedTemplates, type CfnTemplate } from "../support/cdk.js";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { awsProviderSchema, schemaAt, usedBlocks } from "../support/providerSchema.js";
import { checkTerraform, FAKE_PROVIDER_LINES, planFolder, planned, type TerraformCheck } from "../support/terraform.js";

const SPEC = join(REPO, "test", "fixtures", "http-tasks.yaml");
const REASONS = join(REPO, "test", "fixtures", "http-tasks-reasons.yaml");
/** The only values the connections' credential fields may hold: the placeholders. */
const PLACEHOLDERS = ["REPLACE_ME", "Bearer REPLACE_ME", "none"];

async function project(spec: string, extra: string[] = [], args: string[] = [], stepFunctions: string[] = []): Promise<{ out: string; stdout: string }> {
  const dir = tempProject();
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "shop"', `spec = "${spec}"`, ...extra, "[stepfunctions]", "http_tasks = true", ...stepFunctions].join("\n"));
  const res = await runCli(args, { cwd: dir });
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
  return { out: join(dir, "output"), stdout: res.stdout };
}

describe("the generation summary", () => {
  it("lists the endpoints that stay Lambda clients, one line each with its reason", async () => {
    const { stdout } = await project(REASONS, ["[pagination]", 'cursor_param = "cursor"', 'cursor_field = "next"']);
    expect(stdout).toContain("HTTP Tasks: 2 of 15 endpoints (stepfunctions/http/), 13 stay Lambda clients:");
    for (const line of [
      "  GET /plain (shop_get_plain): server http://plain.example.com is not HTTPS",
      "  GET /mtls (shop_get_mtls): mutual TLS: HTTP Tasks do not support client certificates",
      "  GET /and-auth (shop_get_and_auth): AND-combined security (basic + key): a connection holds one credential",
      "  POST /upload (shop_post_upload): request body multipart/form-data: an HTTP Task sends JSON or form bodies",
      "  GET /label/{id} (shop_get_label_id): path parameter id has style label",
      "  GET /pages (shop_get_pages): pagination ([pagination] cursor_param cursor): the Lambda client follows the pages",
    ]) {
      expect(stdout).toContain(line);
    }
    expect(stdout).toContain("aws events update-connection --name shop-<key> (keys: auth-key, auth-queryKey;");
  }, 120_000);
});

describeWithTools("HTTP Tasks in Terraform", ["terraform"], () => {
  let out: string;
  let check: TerraformCheck;

  let stdout: string;

  beforeAll(async () => {
    // With the example workflow: its second step is then an HTTP Task.
    ({ out, stdout } = await project(SPEC, [], [], ["example = true"]));
    check = await checkTerraform(out);
  }, 600_000);

  it("the example workflow has one HTTP Task step, valid, reading its event from $.second, with a role policy of its own", async () => {
    expect(stdout).toContain("Step Functions example: shop_get_open then shop_get_items_itemId_parts_partIds (HTTP Task)");
    const text = readFileSync(join(out, "stepfunctions", "example", "definition.asl.json"), "utf8");
    const def = fillPlaceholders(text, { first_function_arn: "arn:aws:lambda:eu-west-1:123456789012:function:f", second_connection_arn: "arn:aws:events:eu-west-1:123456789012:connection/c/1" }) as {
      States: Record<string, { Resource?: string; Arguments?: Record<string, unknown> }>;
    };
    expect(aslErrors(def)).toBe("");
    const step = def.States.shop_get_items_itemId_parts_partIds;
    expect(step.Resource).toBe("arn:aws:states:::http:invoke");
    const event = { path: { itemId: "a b", partIds: ["x"] }, query: { tags: ["t"] }, headers: { "X-Trace": "1" } };
    const plain = JSON.parse(readFileSync(join(out, "stepfunctions", "http", "shop_get_items_itemId_parts_partIds.json"), "utf8")) as { Arguments: Record<string, unknown> };
    expect(await describeRequest({ Arguments: step.Arguments! }, { first: {}, second: event })).toEqual(await describeRequest(plain, event));
    const tf = readFileSync(join(out, "stepfunctions_example.tf"), "utf8");
    expect(tf).toContain('second_connection_arn = aws_cloudwatch_event_connection.http_task["auth-apiKey"].arn');
    expect(tf).toContain('step_functions_example_functions = ["shop_get_open"]');
    expect(check.resources.map((r) => r.address)).toEqual(expect.arrayContaining(["module.generated.aws_iam_role_policy.step_functions_example_http", "module.generated.aws_sfn_state_machine.example"]));
  });

  it("init, validate, fmt and plan succeed", () => {
    expect(check.codes, [check.validate, check.fmt, check.plan].join("\n")).toEqual([0, 0, 0, 0]);
  });

  it("plans one connection per scheme (API key, Basic, OAuth2 client credentials) with placeholders only", () => {
    const connections = check.resources.filter((r) => r.type === "aws_cloudwatch_event_connection");
    const byKey = Object.fromEntries(connections.map((r) => [r.address.replace(/^.*\["(.*)"\]$/, "$1"), r.values]));
    expect(Object.keys(byKey).sort()).toEqual(["auth-apiKey", "auth-basic", "auth-oauth", "auth-queryKey", "no-auth"]);
    const query = (byKey["auth-queryKey"].auth_parameters as Array<{ invocation_http_parameters: Array<{ query_string: Array<Record<string, unknown>> }> }>)[0];
    expect(query.invocation_http_parameters[0].query_string[0]).toMatchObject({ key: "api_key", value: "REPLACE_ME", is_value_secret: true });
    expect(byKey["auth-apiKey"]).toMatchObject({ name: "shop-auth-apiKey", authorization_type: "API_KEY" });
    const oauth = (byKey["auth-oauth"].auth_parameters as Array<{ oauth: Array<Record<string, any>> }>)[0].oauth[0];
    expect(oauth.authorization_endpoint).toBe("https://auth.example.com/oauth/token");
    expect(oauth.oauth_http_parameters[0].body[0]).toMatchObject({ key: "scope", value: "items:write", is_value_secret: false });
    // No credential anywhere in the plan: every secret field holds a placeholder.
    const secrets: string[] = [];
    const walk = (v: unknown, key = ""): void => {
      if (Array.isArray(v)) v.forEach((x) => walk(x, key));
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
      else if (["value", "password", "username", "client_id", "client_secret"].includes(key) && typeof v === "string" && !["scope"].includes(v)) secrets.push(v);
    };
    for (const r of connections) walk(r.values.auth_parameters);
    expect(secrets.filter((s) => s !== "items:write" && !PLACEHOLDERS.includes(s))).toEqual([]);
    expect(secrets.length).toBeGreaterThan(4);
    // Terraform never writes the credentials back once they are set outside it.
    expect(readFileSync(join(out, "stepfunctions_http.tf"), "utf8")).toContain("ignore_changes = [auth_parameters]");
  });

  it("sets only arguments AWS provider 5.100 has and does not deprecate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "picofun-http-tf-"));
    writeFileSync(join(dir, "main.tf"), [...FAKE_PROVIDER_LINES, "}", "", `module "shop" {\n  source = "${out}"\n}`, ""].join("\n"));
    const root = await planFolder(dir);
    expect(root.code, root.plan).toBe(0);
    const schema = await awsProviderSchema(dir);
    const used = usedBlocks(root.json, schema).filter((b) => b.type === "aws_cloudwatch_event_connection");
    expect(used.length).toBeGreaterThan(0);
    const paths = new Set<string>();
    for (const b of used) {
      for (const path of b.paths) {
        paths.add(path);
        const entry = schemaAt(schema.resources[b.type].block, path);
        expect(entry, `sets ${path}, which provider 5.100 does not have`).toBeDefined();
        expect(entry?.deprecated ?? false, `sets ${path}, deprecated in 5.100`).toBe(false);
      }
    }
    expect([...paths]).toEqual(expect.arrayContaining(["auth_parameters.oauth.oauth_http_parameters.body.is_value_secret", "auth_parameters.basic.password", "auth_parameters.api_key.value", "auth_parameters.invocation_http_parameters.query_string.is_value_secret"]));
  }, 600_000);

  it("outputs http_tasks (by function name) and http_tasks_policy_json next to invoke_policy_json", () => {
    expect(Object.keys(check.outputChanges)).toEqual(expect.arrayContaining(["http_tasks", "http_tasks_policy_json", "invoke_policy_json", "step_functions_tasks"]));
    expect(planned(check, 'module.generated.aws_cloudwatch_event_connection.http_task["no-auth"]')?.values).toMatchObject({ authorization_type: "API_KEY" });
  });
});

describeWithTools("HTTP Tasks in CDK", ["cdk"], () => {
  let out: string;
  let t: CfnTemplate;

  beforeAll(async () => {
    ({ out } = await project(SPEC, ['iac = "cdk"']));
    const synth = await cdkSynth(out);
    expect(synth.code, synth.out).toBe(0);
    t = [...synthesizedTemplates(out).values()][0];
    const tsc = spawnSync("npx", ["tsc", "--noEmit", "-p", "."], { cwd: out, encoding: "utf8" });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  }, 900_000);

  it("synthesizes one connection per scheme with placeholders only", () => {
    const connections = ofType(t, "AWS::Events::Connection");
    expect(connections.map((c) => c.Properties.AuthorizationType).sort()).toEqual(["API_KEY", "API_KEY", "API_KEY", "BASIC", "OAUTH_CLIENT_CREDENTIALS"]);
    const text = JSON.stringify(connections);
    // Every credential field, and every secret parameter's value (the OAuth2 scope is a plain one).
    const values = [
      ...[...text.matchAll(/"(?:ApiKeyValue|Password|Username|ClientID|ClientSecret)":"([^"]*)"/g)].map((m) => m[1]),
      ...[...text.matchAll(/\{"IsValueSecret":true,"Key":"[^"]*","Value":"([^"]*)"\}/g)].map((m) => m[1]),
    ];
    expect(values.length).toBe(8);
    expect(values.filter((v) => !PLACEHOLDERS.includes(v))).toEqual([]);
    expect(text).toContain("https://auth.example.com/oauth/token");
  });

  it("httpTasks.tasks have the connection ARNs filled in, and grant(role) gives exactly the endpoints and connections", () => {
    // The construct in a stack of its own, with a role granted through it (what a user's state machine would do).
    const script = join(out, ".picofun-test-http.ts");
    writeFileSync(
      script,
      [
        'import { App, Stack } from "aws-cdk-lib";',
        'import * as iam from "aws-cdk-lib/aws-iam";',
        'import { ShopFunctions } from "./lib/shop-functions";',
        "const app = new App();",
        'const stack = new Stack(app, "t", { env: { account: "123456789012", region: "eu-west-1" } });',
        'const c = new ShopFunctions(stack, "C");',
        'const role = new iam.Role(stack, "Machine", { assumedBy: new iam.ServicePrincipal("states.amazonaws.com") });',
        "c.httpTasks.grant(role);",
        "const template = app.synth().getStackByName(\"t\").template;",
        "process.stdout.write(JSON.stringify({ template, tasks: stack.resolve(c.httpTasks.tasks) }));",
      ].join("\n"),
    );
    const r = spawnSync("npx", ["tsx", script], { cwd: out, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(r.status, r.stderr).toBe(0);
    const { template, tasks } = JSON.parse(r.stdout) as { template: CfnTemplate; tasks: Record<string, any> };
    expect(Object.keys(tasks).sort()).toEqual(["shop_get_items_itemId_parts_partIds", "shop_get_open", "shop_get_search", "shop_post_items", "shop_put_items_itemId_form"]);
    expect(tasks.shop_post_items.Arguments.Authentication.ConnectionArn).toEqual({ "Fn::GetAtt": [expect.stringMatching(/^CHttpTasksauthbasic/), "Arn"] });
    const mine = ofType(template, "AWS::IAM::Policy").filter((p) => JSON.stringify(p.Properties.Roles).includes("Machine"));
    expect(mine.length).toBe(1);
    const policy = mine[0].Properties.PolicyDocument.Statement as Array<Record<string, any>>;
    const invoke = policy.filter((s) => s.Action === "states:InvokeHTTPEndpoint");
    expect(invoke.flatMap((s) => s.Condition.StringEquals["states:HTTPMethod"]).sort()).toEqual(["GET", "POST", "PUT"]);
    expect(invoke.flatMap((s) => s.Condition.StringLike["states:HTTPEndpoint"]).sort()).toEqual([
      "https://api.example.com/v1/items", "https://api.example.com/v1/items/*/form", "https://api.example.com/v1/items/*/form?*",
      "https://api.example.com/v1/items/*/parts/*", "https://api.example.com/v1/items?*", "https://api.example.com/v1/open", "https://api.example.com/v1/open?*",
      "https://api.example.com/v1/search", "https://api.example.com/v1/search?*",
    ]);
    const secrets = policy.find((s) => Array.isArray(s.Action) && s.Action.includes("secretsmanager:GetSecretValue"));
    expect(secrets?.Resource.map((x: any) => x["Fn::GetAtt"][1])).toEqual(["SecretArn", "SecretArn", "SecretArn", "SecretArn", "SecretArn"]);
    const creds = policy.find((s) => s.Action === "events:RetrieveConnectionCredentials");
    expect(creds?.Resource.length).toBe(5);
  });
});

describe("picofun list endpoints", () => {
  it("shows, for the client kind, whether an HTTP Task can call each endpoint or why not (table and --json)", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "r"', `spec = "${REASONS}"`].join("\n"));
    const table = await runCli(["list", "endpoints"], { cwd: dir });
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split("\n");
    expect(lines[0]).toMatch(/FUNCTION +HTTP TASK$/);
    expect(lines.find((l) => l.includes("/fine"))).toMatch(/r_get_fine +yes$/);
    expect(lines.find((l) => l.includes("/mtls"))).toMatch(/no: mutual TLS: HTTP Tasks do not support client certificates$/);
    const json = await runCli(["list", "endpoints", "--json"], { cwd: dir });
    const rows = JSON.parse(json.stdout) as Array<{ path: string; httpTask: string }>;
    expect(rows.find((r) => r.path === "/fine")?.httpTask).toBe("yes");
    expect(rows.find((r) => r.path === "/upload")?.httpTask).toMatch(/^request body multipart\/form-data/);
    expect(rows.filter((r) => r.httpTask === "yes").length).toBe(3); // /fine, /query-auth and /pages (no cursor_param here)
  }, 120_000);
});
