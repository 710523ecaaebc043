import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { cdkSynth, ofType, synthConstruct, synthesizedTemplates, type CfnTemplate, type ConstructResult } from "../support/cdk.js";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";

const SECURED = join(REPO, "test", "fixtures", "api", "secured.yaml");
const POOL = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123";
const OTHER_POOL = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Other9";
const s = (v: unknown) => JSON.stringify(v);

/** The secured fixture (bearer, basic, oauth2, x-api-key, a query key, one open operation) as a CDK api project. */
async function securedProject(extra: string[] = []): Promise<string> {
  const dir = tempProject();
  const doc = yaml.load(readFileSync(SECURED, "utf8")) as Record<string, any>;
  // A literal ${...} of the spec stays literal; only picofun's markers are filled in.
  doc.info.description = "Prices look like ${amount}";
  writeFileSync(join(dir, "api.yaml"), yaml.dump(doc));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "sec"', 'spec = "api.yaml"', 'kind = "api"', 'iac = "cdk"', ...extra].join("\n") + "\n");
  const res = await runCli([], { cwd: dir });
  expect(res.code, res.stderr).toBe(0);
  return join(dir, "output");
}

const body = (t: CfnTemplate) => ofType(t, "AWS::ApiGateway::RestApi")[0].Properties.Body as Record<string, any>;
const operation = (t: CfnTemplate, method: string, path: string) => body(t).paths[path][method];
const schemes = (t: CfnTemplate) => body(t).components.securitySchemes as Record<string, any>;
const fnId = (t: CfnTemplate, name: string) => ofType(t, "AWS::Lambda::Function").find((f) => f.Properties.FunctionName === name)?.id;
const templateOf = (r: ConstructResult) => {
  if ("error" in r) throw new Error(r.error);
  return r.template;
};

describe("CDK output, api kind: the spec's security enforced by API Gateway (cdk synth)", () => {
  let out: string;
  let t: CfnTemplate;

  beforeAll(async () => {
    out = await securedProject();
    const synth = await cdkSynth(out);
    expect(synth.code, synth.out).toBe(0);
    t = synthesizedTemplates(out).get("sec.template.json")!;
    // tsx does not type-check: the construct and its helpers type-check against aws-cdk-lib's declarations.
    const tsc = spawnSync("npx", ["tsc", "--noEmit", "-p", "."], { cwd: out, encoding: "utf8" });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  }, 900_000);

  it("creates a function for each Lambda authorizer, wired into the definition, invocable from the API's authorizers only", () => {
    for (const [scheme, type] of [["bearerAuth", "token"], ["oauth", "token"], ["basicAuth", "request"], ["queryKey", "request"]]) {
      const id = fnId(t, `sec_authorize_${scheme}`);
      expect(id, scheme).toBeDefined();
      const authorizer = schemes(t)[scheme]["x-amazon-apigateway-authorizer"];
      expect(authorizer.type).toBe(type);
      expect(authorizer.authorizerResultTtlInSeconds).toBe(0);
      expect(s(authorizer.authorizerUri)).toContain(`{"Fn::GetAtt":["${id}","Arn"]}`);
      expect(s(authorizer.authorizerUri)).toMatch(/:apigateway:.*:lambda:path\/2015-03-31\/functions\/.*\/invocations/);
      const permission = ofType(t, "AWS::Lambda::Permission").filter((p) => s(p.Properties.FunctionName) === s({ "Fn::GetAtt": [id, "Arn"] }));
      expect(permission).toHaveLength(1);
      expect(s(permission[0].Properties.SourceArn)).toMatch(/:execute-api:.*"\/authorizers\/\*"\]\]\}$/);
    }
    expect(schemes(t).queryKey["x-amazon-apigateway-authorizer"].identitySource).toBe("method.request.querystring.key");
    const handler = ofType(t, "AWS::Lambda::Function").find((f) => f.Properties.FunctionName === "sec_authorize_bearerAuth")!;
    expect(handler.Properties.Handler).toBe("authorize_bearerAuth.handler");
    expect(handler.Properties.Environment.Variables.OPERATION_ID).toBe("authorizer:bearerAuth");
  });

  it("secured operations name their requirement, the open one an explicit []; no picofun marker is left in the body", () => {
    expect(operation(t, "post", "/pets").security).toEqual([{ bearerAuth: [] }]);
    expect(operation(t, "get", "/pets/{petId}").security).toEqual([{ apiKey: [] }]);
    expect(operation(t, "get", "/reports").security).toEqual([{ basicAuth: [] }]);
    // The spec says security: [] on GET /pets (open on purpose): kept, so linters can tell it from a forgotten one.
    expect(operation(t, "get", "/pets").security).toEqual([]);
    expect(body(t).security).toBeUndefined();
    expect(body(t)["x-amazon-apigateway-api-key-source"]).toBe("HEADER");
    expect(schemes(t).apiKey).toEqual({ type: "apiKey", name: "x-api-key", in: "header" });
    expect(s(body(t))).not.toMatch(/\$\{uris\.|\$\$\{/);
    expect(body(t).info.description).toBe("Prices look like ${amount}");
    for (const item of Object.values<any>(body(t).paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        if (method === "options") continue;
        expect(s(op["x-amazon-apigateway-integration"].uri)).toContain('"Fn::GetAtt"');
      }
    }
  });

  it("creates the usage plan and API key for x-api-key, the key's id as an output and never its value", () => {
    const [plan] = ofType(t, "AWS::ApiGateway::UsagePlan");
    const api = ofType(t, "AWS::ApiGateway::RestApi")[0].id;
    const stage = ofType(t, "AWS::ApiGateway::Stage")[0].id;
    expect(plan.Properties.ApiStages).toEqual([{ ApiId: { Ref: api }, Stage: { Ref: stage }, Throttle: {} }]);
    expect(plan.Properties.Throttle).toEqual({ RateLimit: 100, BurstLimit: 50 });
    const [key] = ofType(t, "AWS::ApiGateway::ApiKey");
    expect(key.Properties.Name).toBe("sec-v1");
    expect(key.Properties.Value).toBeUndefined();
    const [link] = ofType(t, "AWS::ApiGateway::UsagePlanKey");
    expect(link.Properties).toMatchObject({ KeyId: { Ref: key.id }, KeyType: "API_KEY", UsagePlanId: { Ref: plan.id } });
    const outputs = Object.values<any>(t.Outputs ?? {});
    expect(outputs.filter((o) => s(o.Value).includes(key.id)).map((o) => o.Value)).toEqual([{ Ref: key.id }]);
    expect(s(outputs)).not.toContain("APIKeyId");
  });

  it("has the Terraform module's stage: JSON access log with retention, method settings, X-Ray, execution logs, account role", () => {
    const [stage] = ofType(t, "AWS::ApiGateway::Stage");
    const groups = ofType(t, "AWS::Logs::LogGroup");
    const access = groups.find((g) => g.Properties.LogGroupName === "/aws/apigateway/sec-v1/access")!;
    expect(access.Properties.RetentionInDays).toBe(14);
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual({ "Fn::GetAtt": [access.id, "Arn"] });
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({ requestId: "$context.requestId", status: "$context.status", authorizerError: "$context.authorizer.error", apiKeyId: "$context.identity.apiKeyId" });
    expect(stage.Properties.MethodSettings).toEqual([
      { HttpMethod: "*", ResourcePath: "/*", LoggingLevel: "ERROR", MetricsEnabled: true, DataTraceEnabled: false, ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50 },
    ]);
    expect(stage.Properties.TracingEnabled).toBe(true);
    const execution = groups.find((g) => s(g.Properties.LogGroupName).includes("API-Gateway-Execution-Logs_"))!;
    expect(s(execution.Properties.LogGroupName)).toContain('"/v1"');
    const [account] = ofType(t, "AWS::ApiGateway::Account");
    expect(t.Resources[stage.id].DependsOn).toEqual(expect.arrayContaining([account.id, execution.id]));
    const logsRole = ofType(t, "AWS::IAM::Role").find((r) => r.Properties.RoleName === "pf-sec-apigw-logs")!;
    expect(account.Properties.CloudWatchRoleArn).toEqual({ "Fn::GetAtt": [logsRole.id, "Arn"] });
    expect(s(logsRole.Properties.ManagedPolicyArns)).toContain("AmazonAPIGatewayPushToCloudWatchLogs");
  });

  it("gives each operation one permission, scoped to the stage, its method and its path", () => {
    const permissions = ofType(t, "AWS::Lambda::Permission").filter((p) => !p.id.includes("Authorizer"));
    expect(permissions).toHaveLength(7);
    const scoped = permissions.map((p) => /"(\/[^"]*)"\]\]\}$/.exec(s(p.Properties.SourceArn))?.[1]).sort();
    expect(scoped).toEqual(["/v1/GET/pets", "/v1/GET/pets/*", "/v1/GET/pets/*/photo", "/v1/GET/reports", "/v1/GET/search", "/v1/POST/pets", "/v1/PUT/pets/*/photo"]);
    expect(permissions.every((p) => s(p.Properties.FunctionName).startsWith('{"Fn::GetAtt"'))).toBe(true);
  });

  it("keeps the log groups, and scopes the role's logs to its own log groups", () => {
    for (const g of ofType(t, "AWS::Logs::LogGroup")) expect(t.Resources[g.id].DeletionPolicy, g.id).toBe("Retain");
    const role = ofType(t, "AWS::IAM::Role").find((r) => r.Properties.RoleName === "pf-sec")!;
    expect(s(role.Properties)).not.toContain("AWSLambdaBasicExecutionRole");
    expect(s(role.Properties.Policies)).toContain(":log-group:/aws/lambda/sec_*:*");
  });

  it("writes a README for the CDK app: usage, props with their defaults, outputs, functions", () => {
    const readme = readFileSync(join(out, "README.md"), "utf8");
    expect(readme).toContain("7 Lambda functions, one per operation, and 4 Lambda authorizers, as a CDK app");
    expect(readme).toContain("npx cdk deploy");
    expect(readme).toContain('import { SecApi } from "./lib/sec-api";');
    expect(readme).toContain("| `throttlingRateLimit` | Steady-state requests per second of every method (and of the usage plan). | `number` | `100` |");
    expect(readme).toContain("| `timeout` | Seconds, 1 to 29 (API Gateway waits 29 at most). | `number` | `29` |");
    expect(readme).toContain("| `retainLogs` | Keep the log groups (and their history) when they are removed (default true). | `boolean` | `true` |");
    expect(readme).toContain("| `namespace` |");
    expect(readme).toContain('`"sec"`');
    expect(readme).toContain("| `ApiKeyId` |");
    expect(readme).toContain("| `sec_listPets` | `GET /pets` | Open to everyone |");
    expect(readme).not.toMatch(/terraform|```hcl/i);
  });

  it("checks its props once, with one message each, and applies the hardening props", () => {
    const layer = (n: number) => `arn:aws:lambda:eu-west-1:123456789012:layer:l${n}:1`;
    const bad: Array<[object, string]> = [
      [{ timeout: 30 }, "timeout must be a whole number of seconds from 1 to 29 (API Gateway waits at most 29 seconds for a function) (got 30)"],
      [{ timeout: 0 }, "timeout must be a whole number of seconds from 1 to 29"],
      [{ memorySize: 64 }, "memorySize must be a whole number of MB from 128 to 10240 (got 64)"],
      [{ memorySize: 10241 }, "memorySize must be a whole number of MB from 128 to 10240"],
      [{ logRetentionDays: 10 }, "logRetentionDays must be one CloudWatch Logs allows: 0, 1, 3"],
      [{ accessLogRetentionDays: 2 }, "accessLogRetentionDays must be one CloudWatch Logs allows"],
      [{ layers: [1, 2, 3, 4, 5, 6].map(layer) }, "a function takes at most 5 layers: 6 in layers"],
      [{ layers: ["my-layer"] }, 'each of layers must be a Lambda layer version ARN: arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION (got "my-layer")'],
      [{ reservedConcurrency: -1 }, "reservedConcurrency must be a whole number of 0 or more"],
      [{ loggingLevel: "DEBUG" }, "loggingLevel must be OFF, ERROR or INFO"],
      [{ namespace: "n".repeat(44) }, "namespace must be at most 43 characters (function names are {namespace}_{suffix} within 64 characters; the longest suffix here is 20) (got 44)"],
      [{ namespace: "n".repeat(43), iamRolePrefix: "p".repeat(11) }, "over IAM's 64 characters: shorten iamRolePrefix or namespace"],
      [{ namespace: "2nd" }, "namespace must start with a letter"],
      [{ tags: Object.fromEntries([...Array(50).keys()].map((i) => [`k${i}`, "v"])) }, "AWS allows 50 tags a resource: tags and generated_by make 51"],
      [{ tags: { "aws:team": "x" } }, 'tag keys must not start with "aws:"'],
      [{ tags: { team: "v".repeat(257) } }, 'each tag value must be at most 256 characters (tag "team" has 257)'],
    ];
    const good = {
      retainLogs: false,
      logsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/0000-1111",
      reservedConcurrency: 5,
      tags: { team: "pets" },
      loggingLevel: "INFO",
      throttlingRateLimit: 10,
      throttlingBurstLimit: 5,
      manageApiGatewayAccount: false,
      logRetentionDays: 0,
    };
    const results = synthConstruct(out, "./lib/sec-api", "SecApi", [...bad.map(([p]) => p), good, { namespace: "sec2" }, { functionsPerStack: 3 }]);
    bad.forEach(([props, message], i) => {
      expect("error" in results[i] ? results[i].error : "synthesized", s(props)).toContain(message);
    });
    const g = templateOf(results[bad.length]);
    for (const group of ofType(g, "AWS::Logs::LogGroup")) {
      expect(g.Resources[group.id].DeletionPolicy).toBe("Delete");
      expect(group.Properties.KmsKeyId).toBe(good.logsKmsKeyArn);
    }
    const fn = ofType(g, "AWS::Lambda::Function").find((f) => f.Properties.FunctionName === "sec_listPets")!;
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(5);
    expect(fn.Properties.Tags).toEqual(expect.arrayContaining([{ Key: "team", Value: "pets" }, { Key: "generated_by", Value: "picofun" }]));
    expect(ofType(g, "AWS::Logs::LogGroup").find((x) => x.Properties.LogGroupName === "/aws/lambda/sec_listPets")!.Properties.RetentionInDays).toBeUndefined();
    const [stage] = ofType(g, "AWS::ApiGateway::Stage");
    expect(stage.Properties.MethodSettings[0]).toMatchObject({ LoggingLevel: "INFO", ThrottlingRateLimit: 10, ThrottlingBurstLimit: 5 });
    expect(ofType(g, "AWS::ApiGateway::Account")).toHaveLength(0);
    expect(ofType(g, "AWS::ApiGateway::UsagePlan")[0].Properties.Throttle).toEqual({ RateLimit: 10, BurstLimit: 5 });
    // A second instance in the same account: every name follows the namespace prop.
    const two = templateOf(results[bad.length + 1]);
    const names = ofType(two, "AWS::Lambda::Function").map((f) => f.Properties.FunctionName).sort();
    expect(names).toHaveLength(11);
    expect(names.every((n: string) => n.startsWith("sec2_"))).toBe(true);
    expect(names).toContain("sec2_authorize_bearerAuth");
    const groups = ofType(two, "AWS::Logs::LogGroup").map((x) => s(x.Properties.LogGroupName));
    expect(groups.filter((n) => n.includes("/aws/lambda/sec2_"))).toHaveLength(11);
    expect(groups).toContain('"/aws/apigateway/sec2-v1/access"');
    expect(s(two)).not.toMatch(/"sec-v1"|"pf-sec"|"\/aws\/lambda\/sec_/);
    expect(ofType(two, "AWS::IAM::Role").map((r) => r.Properties.RoleName).sort()).toEqual(["pf-sec2", "pf-sec2-apigw-logs"]);
    expect(s(ofType(two, "AWS::IAM::Role").find((r) => r.Properties.RoleName === "pf-sec2")!.Properties.Policies)).toContain("/aws/lambda/sec2_*:*");
    expect(ofType(two, "AWS::ApiGateway::ApiKey")[0].Properties.Name).toBe("sec2-v1");
    // Operations spread over nested stacks: the authorizers stay with the API, integrations name the functions' ARNs.
    const nested = templateOf(results[bad.length + 2]);
    expect(ofType(nested, "AWS::CloudFormation::Stack")).toHaveLength(3);
    expect(ofType(nested, "AWS::Lambda::Function").map((f) => f.Properties.FunctionName).sort()).toEqual([
      "sec_authorize_basicAuth",
      "sec_authorize_bearerAuth",
      "sec_authorize_oauth",
      "sec_authorize_queryKey",
    ]);
    expect(s(operation(nested, "get", "/pets")["x-amazon-apigateway-integration"].uri)).toContain(":function:sec_listPets/invocations");
    expect(s(schemes(nested).bearerAuth["x-amazon-apigateway-authorizer"].authorizerUri)).toContain("Fn::GetAtt");
  }, 120_000);
});

describe("CDK output, api kind with [api] cognito_user_pools (in-process synth)", () => {
  let results: ConstructResult[];

  beforeAll(async () => {
    const out = await securedProject(["[api]", `cognito_user_pools = ["${POOL}"]`]);
    results = synthConstruct(out, "./lib/sec-api", "SecApi", [{}, { cognitoUserPoolArns: [OTHER_POOL] }, { cognitoUserPoolArns: [] }]);
  }, 300_000);

  it("uses Cognito authorizers for bearer and oauth2 (pools from config, or the prop), Lambda ones for the rest", () => {
    const t = templateOf(results[0]);
    for (const scheme of ["bearerAuth", "oauth"]) {
      expect(schemes(t)[scheme]["x-amazon-apigateway-authorizer"]).toEqual({ type: "cognito_user_pools", providerARNs: [POOL] });
      expect(fnId(t, `sec_authorize_${scheme}`)).toBeUndefined();
    }
    expect(fnId(t, "sec_authorize_basicAuth")).toBeDefined();
    expect(s(schemes(t).basicAuth["x-amazon-apigateway-authorizer"].authorizerUri)).toContain("Fn::GetAtt");
    expect(s(body(t))).not.toContain("${uris.");
    expect(schemes(templateOf(results[1])).bearerAuth["x-amazon-apigateway-authorizer"].providerARNs).toEqual([OTHER_POOL]);
    expect("error" in results[2] && results[2].error).toContain("cognitoUserPoolArns is empty, but bearerAuth, oauth use a Cognito authorizer");
  });
});
