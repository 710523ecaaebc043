import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { beforeAll, expect, it } from "vitest";
import { ofType, synthConstruct, type CfnTemplate } from "../support/cdk.js";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { cfnLint, nagSynth, type NagResult } from "../support/review.js";
import { describeWithTools } from "../support/skip.js";

/** The construct props that turn on every review option of the api kind (docs/review.md). */
export const API_OPTION_PROPS = {
  vpcId: "vpc-0011223344556677f",
  subnets: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
  wafWebAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/a1b2c3d4-5678-90ab-cdef-111122223333",
  apiCacheClusterSize: "0.5",
  codeSigningConfigArn: "arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-0123456789abcdef0",
  logsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

const templatesOf = (dir: string) =>
  readdirSync(join(dir, "cdk.out"))
    .filter((f) => f.endsWith(".template.json"))
    .map((f) => join(dir, "cdk.out", f));

/** The functions' execution role (the one Lambda assumes). */
const functionRole = (t: CfnTemplate) => ofType(t, "AWS::IAM::Role").find((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes("lambda.amazonaws.com"))!;

interface Run {
  nag: NagResult;
  lint: { code: number | null; out: string };
  templates: CfnTemplate[];
  ms: number;
}

describeWithTools("cdk-nag (AwsSolutions, Serverless) and cfn-lint find nothing unacknowledged in the CDK apps", ["review"], () => {
  let project: string;
  const apps: Record<string, string> = {};
  const runs: Record<string, Run> = {};

  async function review(name: string, dir: string, props: object = {}): Promise<void> {
    const started = Date.now();
    const nag = await nagSynth(dir, props);
    const ms = Date.now() - started;
    const files = nag.code === 0 ? templatesOf(dir) : [];
    const lint = files.length ? await cfnLint(files) : { code: -1, out: "no template" };
    runs[name] = { nag, lint, templates: files.map((f) => JSON.parse(readFileSync(f, "utf8")) as CfnTemplate), ms };
  }

  beforeAll(async () => {
    project = tempProject();
    const spec = yaml.load(readFileSync(ORDERS_SPEC, "utf8")) as Record<string, any>;
    spec.components.securitySchemes = { apiKey: { type: "apiKey", in: "header", name: "x-api-key" }, bearer: { type: "http", scheme: "bearer" } };
    spec.security = [{ apiKey: [], bearer: [] }];
    writeFileSync(join(project, "orders.json"), JSON.stringify(spec));
    cpSync(join(REPO, "test", "fixtures", "api", "secured.yaml"), join(project, "secured.yaml"));
    const configs: Record<string, string[]> = {
      client: ['spec = "orders.json"', 'output_dir = "client"'],
      // With the example workflow, both steps Lambda Tasks.
      secrets: ['spec = "orders.json"', 'output_dir = "secrets"', "[auth]", 'store = "secretsmanager"', "[stepfunctions]", "example = true"],
      api: ['spec = "secured.yaml"', 'output_dir = "api"', 'kind = "api"'],
      // vpc_id and subnets from picofun.toml (the wizard writes them): the construct's defaults.
      apivpc: ['spec = "secured.yaml"', 'output_dir = "apivpc"', 'kind = "api"', 'vpc_id = "vpc-0011223344556677f"', 'subnets = ["subnet-0123456789abcdef0"]'],
    };
    // The example workflow with an HTTP Task step (the orders spec as published: its GETs need no credential).
    cpSync(ORDERS_SPEC, join(project, "orders-plain.yaml"));
    configs.example = ['spec = "orders-plain.yaml"', 'output_dir = "example"', "[stepfunctions]", "example = true", "http_tasks = true"];
    for (const [name, lines] of Object.entries(configs)) {
      writeFileSync(join(project, `${name}.toml`), ['namespace = "orders"', 'iac = "cdk"', ...lines].join("\n"));
      const res = await runCli(["-c", `${name}.toml`, "--yes"], { cwd: project });
      expect(res.code, res.stderr).toBe(0);
      apps[name] = join(project, name);
    }
    await review("client (SSM)", apps.client);
    await review("client (Secrets Manager), VPC, code signing", apps.secrets, { vpcId: API_OPTION_PROPS.vpcId, subnets: API_OPTION_PROPS.subnets, codeSigningConfigArn: API_OPTION_PROPS.codeSigningConfigArn });
    await review("client with the example workflow (an HTTP Task step)", apps.example);
    await review("the same, its functions in nested stacks", apps.example, { functionsPerStack: 1 });
    await review("api", apps.api);
    await review("api with every option", apps.api, API_OPTION_PROPS);
    console.log(`[review] cdk synth with cdk-nag: ${Object.entries(runs).map(([k, r]) => `${k} ${(r.ms / 1000).toFixed(1)} s`).join(", ")}`);
  }, 900_000);

  const reviewed = [
    "client (SSM)",
    "client (Secrets Manager), VPC, code signing",
    "client with the example workflow (an HTTP Task step)",
    "the same, its functions in nested stacks",
    "api",
    "api with every option",
  ];
  for (const name of reviewed) {
    it(`${name}: cdk-nag reports nothing, cfn-lint reports nothing`, () => {
      const r = runs[name];
      expect(r.nag.findings, r.nag.out).toEqual([]);
      expect(r.nag.code, r.nag.out).toBe(0);
      expect(r.lint.code, r.lint.out).toBe(0);
      expect(r.templates.length).toBeGreaterThan(0);
    });
  }

  it("the example workflow: its definition file with the functions' and the connection's ARNs put in, a role that may do only that, its ARN as a stack output", () => {
    const out = apps.example;
    const data = JSON.parse(readFileSync(join(out, "lib", "functions.json"), "utf8")).example as { definition: string; functions: Record<string, string>; http: { placeholder: string } };
    expect(Object.keys(data.functions).length).toBe(1);
    expect(data.http).not.toBeNull();
    // The generated app type-checks (tsc --strict) with the example in it, with and without an HTTP step.
    for (const app of [apps.example, apps.secrets]) {
      const tsc = spawnSync("npx", ["tsc", "--noEmit", "-p", "."], { cwd: app, encoding: "utf8" });
      expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    }
    // Without an HTTP step: two Lambda steps, no connection.
    const lambdaOnly = runs["client (Secrets Manager), VPC, code signing"].templates.find((x) => ofType(x, "AWS::StepFunctions::StateMachine").length)!;
    expect(Object.keys(ofType(lambdaOnly, "AWS::StepFunctions::StateMachine")[0].Properties.DefinitionSubstitutions).sort()).toEqual(["first_function_arn", "second_function_arn"]);
    expect(ofType(lambdaOnly, "AWS::Events::Connection")).toEqual([]);
    for (const nested of [false, true]) {
      const run = runs[nested ? "the same, its functions in nested stacks" : "client with the example workflow (an HTTP Task step)"];
      const t = run.templates.find((x) => ofType(x, "AWS::StepFunctions::StateMachine").length)!;
      const [machine] = ofType(t, "AWS::StepFunctions::StateMachine");
      expect(machine.Properties.StateMachineName).toBe("orders-example");
      expect(machine.Properties.DefinitionString).toBe(readFileSync(join(out, data.definition), "utf8"));
      const subs = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
      expect(Object.keys(subs).sort()).toEqual([...Object.values(data.functions), data.http.placeholder].sort());
      const [connection] = ofType(t, "AWS::Events::Connection");
      expect(subs[data.http.placeholder]).toEqual({ "Fn::GetAtt": [connection.id, "Arn"] });
      const fnArn = JSON.stringify(subs[Object.values(data.functions)[0]]);
      if (nested) expect(fnArn).toContain("Outputs.");
      else expect(fnArn).toMatch(/^\{"Fn::GetAtt":\["\w+","Arn"\]\}$/);
      // Its role: assumed by Step Functions of this account only; invokes the one function (and its versions); the HTTP step's statements.
      const role = ofType(t, "AWS::IAM::Role").find((r) => r.id === (machine.Properties.RoleArn as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0])!;
      const assume = role.Properties.AssumeRolePolicyDocument.Statement[0];
      expect(assume.Principal).toEqual({ Service: "states.amazonaws.com" });
      expect(assume.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" } });
      const statements = role.Properties.Policies.flatMap((p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement) as Array<Record<string, any>>;
      const name = `orders_${Object.keys(data.functions)[0].slice("orders_".length)}`;
      const invoke = { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, `:lambda:eu-west-1:123456789012:function:${name}`]] };
      expect(statements[0]).toEqual({ Action: "lambda:InvokeFunction", Effect: "Allow", Resource: [invoke, { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, `:lambda:eu-west-1:123456789012:function:${name}:*`]] }] });
      expect(statements.slice(1).map((st) => st.Sid)).toEqual(["InvokeHttpGet", "RetrieveConnectionCredentials", "ReadConnectionSecrets"]);
      expect(statements[2].Resource).toEqual({ "Fn::GetAtt": [connection.id, "Arn"] });
      expect(statements[3].Resource).toEqual({ "Fn::GetAtt": [connection.id, "SecretArn"] });
      const outputs = Object.entries((t as { Outputs?: Record<string, { Value: unknown }> }).Outputs ?? {});
      expect(outputs.filter(([id, o]) => id.includes("ExampleStateMachineArn") && JSON.stringify(o.Value) === JSON.stringify({ "Fn::GetAtt": [machine.id, "Arn"] }))).toHaveLength(1);
    }
  }, 300_000);

  it("the api kind's role has no managed policy: X-Ray is the inline grant lambda.Function adds", () => {
    const t = runs.api.templates[0];
    const role = functionRole(t);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const policies = JSON.stringify(ofType(t, "AWS::IAM::Policy").map((p) => p.Properties.PolicyDocument));
    expect(policies).toContain("xray:PutTraceSegments");
  });

  it("with every option: the functions in the VPC, WAF on the stage, the cache, code signing, every log group encrypted", () => {
    const t = runs["api with every option"].templates[0];
    const sg = ofType(t, "AWS::EC2::SecurityGroup");
    expect(sg).toHaveLength(1);
    expect(sg[0].Properties.VpcId).toBe(API_OPTION_PROPS.vpcId);
    expect(sg[0].Properties.SecurityGroupEgress.map((e: any) => e.FromPort)).toEqual([443, 443]);
    const functions = ofType(t, "AWS::Lambda::Function");
    expect(functions.length).toBe(11);
    for (const f of functions) {
      expect(f.Properties.VpcConfig, f.id).toEqual({ SubnetIds: API_OPTION_PROPS.subnets, SecurityGroupIds: [{ "Fn::GetAtt": [sg[0].id, "GroupId"] }] });
      expect(f.Properties.CodeSigningConfigArn, f.id).toBe(API_OPTION_PROPS.codeSigningConfigArn);
    }
    const vpcPolicy = JSON.stringify(functionRole(t).Properties.Policies);
    expect(vpcPolicy).toContain("ec2:CreateNetworkInterface");
    const waf = ofType(t, "AWS::WAFv2::WebACLAssociation");
    expect(waf.map((w) => w.Properties.WebACLArn)).toEqual([API_OPTION_PROPS.wafWebAclArn]);
    const stage = ofType(t, "AWS::ApiGateway::Stage")[0];
    expect(stage.Properties).toMatchObject({ CacheClusterEnabled: true, CacheClusterSize: "0.5" });
    expect(stage.Properties.MethodSettings[0]).toMatchObject({ CachingEnabled: true, CacheDataEncrypted: true });
    const groups = ofType(t, "AWS::Logs::LogGroup");
    expect(groups.length).toBe(13);
    for (const g of groups) expect(g.Properties.KmsKeyId, g.id).toBe(API_OPTION_PROPS.logsKmsKeyArn);
  });

  it("vpc_id and subnets of picofun.toml put the api kind's functions in the VPC without any prop", () => {
    const app = readFileSync(join(apps.apivpc, "app.ts"), "utf8");
    const [, className, importPath] = /import \{ (\w+) \} from "(\.\/lib\/[^"]+)";/.exec(app)!;
    const [result] = synthConstruct(apps.apivpc, importPath, className, [{}]);
    if ("error" in result) throw new Error(result.error);
    const sg = ofType(result.template, "AWS::EC2::SecurityGroup");
    expect(sg.map((g) => g.Properties.VpcId)).toEqual(["vpc-0011223344556677f"]);
    const functions = ofType(result.template, "AWS::Lambda::Function");
    expect(functions.length).toBe(11);
    for (const f of functions) expect(f.Properties.VpcConfig?.SubnetIds, f.id).toEqual(["subnet-0123456789abcdef0"]);
    // Without vpc_id the data file is as before: no VPC keys.
    const data = JSON.parse(readFileSync(join(apps.api, "lib", "api.json"), "utf8")) as { defaults: Record<string, unknown> };
    expect(Object.keys(data.defaults)).not.toContain("vpcId");
  }, 300_000);

  it("refuses review props AWS would refuse, one message naming the prop", () => {
    const app = readFileSync(join(apps.api, "app.ts"), "utf8");
    const [, className, importPath] = /import \{ (\w+) \} from "(\.\/lib\/[^"]+)";/.exec(app)!;
    const bad: Array<[object, RegExp]> = [
      [{ wafWebAclArn: "arn:aws:wafv2:eu-west-1:123456789012:global/webacl/edge/abc" }, /wafWebAclArn must be a regional WAFv2 web ACL ARN/],
      [{ apiCacheClusterSize: "2" }, /apiCacheClusterSize must be one API Gateway offers/],
      [{ codeSigningConfigArn: "csc-1" }, /codeSigningConfigArn must be a code signing config ARN/],
      [{ vpcId: "vpc-0011223344556677f" }, /vpcId is set but subnets is empty/],
      [{ vpcId: "vpc-1", subnets: ["subnet-0123456789abcdef0"] }, /vpcId must be a VPC id/],
      [{ vpcId: "vpc-0011223344556677f", subnets: ["subnet-0123456789abcdef0"], egressPorts: [0] }, /each of egressPorts must be a whole TCP port number/],
    ];
    const results = synthConstruct(apps.api, importPath, className, bad.map(([props]) => props));
    results.forEach((r, i) => expect("error" in r ? r.error : "synthesized", JSON.stringify(bad[i][0])).toMatch(new RegExp(`^C: ${bad[i][1].source}`)));
  }, 300_000);

  it("fails on findings brought in on purpose: an acknowledgment removed (cdk-nag), a lint setting removed (cfn-lint)", async () => {
    const copy = tempProject(apps.api);
    const lib = join(copy, "lib", readdirSync(join(copy, "lib")).find((f) => f.endsWith("-api.ts"))!);
    const source = readFileSync(lib, "utf8");
    const ack = /^ {4}acknowledge\(this\.restApi, \{ "AwsSolutions::AwsSolutions-APIG2".*\n/m;
    expect(source).toMatch(ack);
    writeFileSync(lib, source.replace(ack, ""));
    const nag = await nagSynth(copy);
    expect(nag.code).not.toBe(0);
    expect(nag.findings).toEqual(["AwsSolutions::AwsSolutions-APIG2"]);

    const template = JSON.parse(readFileSync(templatesOf(apps.api)[0], "utf8")) as CfnTemplate & { Resources: Record<string, { Metadata?: Record<string, unknown> }> };
    const fn = ofType(template, "AWS::Lambda::Function")[0].id;
    expect(template.Resources[fn].Metadata?.["cfn-lint"]).toEqual({ config: { ignore_checks: ["W3005"] } });
    delete template.Resources[fn].Metadata!["cfn-lint"];
    const file = join(copy, "linted.template.json");
    writeFileSync(file, JSON.stringify(template));
    const lint = await cfnLint([file]);
    expect(lint.code).not.toBe(0);
    expect(lint.out.trim().split("\n")).toEqual([expect.stringMatching(new RegExp(`:W3005:.*'${ofType(template, "AWS::IAM::Role")[0].id}'`))]);
  }, 300_000);
});
