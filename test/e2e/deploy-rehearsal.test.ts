import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { motoProvider, startMoto, type Moto } from "../support/moto.js";
import { describeWithTools } from "../support/skip.js";
import { terraform } from "../support/terraform.js";

/**
 * What moto 5.2.6 (server mode) lacks that the generated modules use, and how the rehearsal
 * covers the rest. Each entry is checked below, so a moto that gains the API fails the test
 * until the work-around is taken out.
 */
const MOTO_GAPS = {
  powertoolsLayer:
    "Lambda layers of other accounts: AWS's public Powertools layer (account 017000801446) does not exist in moto, so CreateFunction fails; the client modules run with include_powertools_layer = false",
  pathLevelParameters:
    "API Gateway PutRestApi with path-level `parameters`: moto reads every key of a path item as a method and answers 500 (AttributeError: 'list' object has no attribute 'get'); the api kind is generated from the orders spec with its path-level parameters repeated on each operation",
  lambdaLoggingConfig:
    "Lambda LoggingConfig: moto neither stores nor returns it, so every function with a logging_config block (shared_log_group = true) plans that block again after the apply; the no-change check allows exactly that difference on those functions, and nothing else",
  authorizersFromDefinition:
    "API Gateway PutRestApi does not create the authorizers of the definition's securitySchemes (x-amazon-apigateway-authorizer): GetAuthorizers is empty; the authorizer is checked in the deployed definition (its authorizerUri is the authorizer function) and through its Lambda permission",
};

const CREDENTIAL = JSON.stringify({ apiKey: "rehearsal-key-7f3a" });

/** The orders example with an API key and a bearer token, so credentials, authorizers and the usage plan exist. */
function securedOrders(): Record<string, any> {
  const spec = yaml.load(readFileSync(ORDERS_SPEC, "utf8")) as Record<string, any>;
  spec.components.securitySchemes = { apiKey: { type: "apiKey", in: "header", name: "x-api-key" }, bearer: { type: "http", scheme: "bearer" } };
  spec.security = [{ apiKey: [], bearer: [] }];
  return spec;
}

/** The same spec with path-level parameters repeated on each operation (moto gap `pathLevelParameters`). */
function withoutPathLevelParameters(spec: Record<string, any>): Record<string, any> {
  const copy = structuredClone(spec);
  for (const item of Object.values(copy.paths) as Array<Record<string, any>>) {
    const shared = item.parameters;
    if (!shared) continue;
    delete item.parameters;
    for (const op of Object.values(item)) op.parameters = [...shared, ...(op.parameters ?? [])];
  }
  return copy;
}

interface StateResource {
  address: string;
  type: string;
  values: Record<string, any>;
}

function stateResources(showJson: string): StateResource[] {
  const state = JSON.parse(showJson) as { values?: { root_module?: { child_modules?: Array<{ resources?: StateResource[] }> } } };
  return (state.values?.root_module?.child_modules ?? []).flatMap((m) => m.resources ?? []);
}

describeWithTools("deploy rehearsal: terraform apply, plan, destroy of the generated modules against moto", ["terraform", "moto"], () => {
  let moto: Moto;
  let root: string;
  let apply: { code: number | null; out: string };
  let resources: StateResource[] = [];
  let net: { vpc: string; subnet: string };

  beforeAll(async () => {
    moto = await startMoto();
    // A VPC and subnet in moto for the client functions (the module's security group goes in it).
    net = moto.boto(`
ec2 = client("ec2")
vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
print(json.dumps({"vpc": vpc, "subnet": subnet}))
`) as { vpc: string; subnet: string };
    const project = tempProject();
    const spec = securedOrders();
    writeFileSync(join(project, "orders.json"), JSON.stringify(spec));
    writeFileSync(join(project, "orders-api.json"), JSON.stringify(withoutPathLevelParameters(spec)));
    const configs: Record<string, string[]> = {
      client_ssm: ['spec = "orders.json"'],
      client_sm: ['spec = "orders.json"', "[auth]", 'store = "secretsmanager"'],
      api: ['spec = "orders-api.json"', 'kind = "api"'],
    };
    for (const [name, lines] of Object.entries(configs)) {
      writeFileSync(join(project, `${name}.toml`), ['namespace = "orders"', `output_dir = "${name}"`, ...lines].join("\n"));
      const res = await runCli(["-c", `${name}.toml`, "--yes"], { cwd: project, timeoutMs: 120_000 });
      expect(res.code, res.stderr).toBe(0);
    }
    root = join(project, "root");
    mkdirSync(root);
    const body = [
      motoProvider(moto.url),
      // Credentials in SSM, written through the write-only argument; the functions in a VPC.
      `module "client_ssm" {\n  source                   = "../client_ssm"\n  include_powertools_layer = false\n  credentials              = { "api-key" = ${JSON.stringify(CREDENTIAL)} }\n  vpc_id                   = "${net.vpc}"\n  subnets                  = ["${net.subnet}"]\n}`,
      // Credentials in Secrets Manager; one log group for all functions (the logging_config block).
      `module "client_sm" {\n  source                   = "../client_sm"\n  namespace                = "orders-sm"\n  include_powertools_layer = false\n  shared_log_group         = true\n}`,
      `module "api" {\n  source    = "../api"\n  namespace = "orders-api"\n}`,
    ];
    writeFileSync(join(root, "main.tf"), body.join("\n\n") + "\n");
    const init = await terraform(["init", "-input=false", "-backend=false"], root);
    expect(init.code, init.out).toBe(0);
    apply = await terraform(["apply", "-auto-approve", "-input=false"], root);
    if (apply.code === 0) resources = stateResources((await terraform(["show", "-json"], root)).out);
  }, 900_000);

  afterAll(async () => {
    await moto?.stop();
  });

  it("applies every module: functions, credentials in SSM and Secrets Manager, the REST API with its authorizer and usage plan", () => {
    expect(apply.code, apply.out.slice(-4000)).toBe(0);
    const names = moto.boto(`
lam = client("lambda")
fns = [f["FunctionName"] for p in lam.get_paginator("list_functions").paginate() for f in p["Functions"]]
ssm = client("ssm")
params = [p["Name"] for p in ssm.describe_parameters()["Parameters"]]
value = ssm.get_parameter(Name="/picorun/orders/credentials-api-key", WithDecryption=True)["Parameter"]["Value"]
secrets = [s["Name"] for s in client("secretsmanager").list_secrets()["SecretList"]]
apig = client("apigateway")
api = [a for a in apig.get_rest_apis()["items"]][0]
authorizers = [a["name"] for a in apig.get_authorizers(restApiId=api["id"])["items"]]
plans = [p["name"] for p in apig.get_usage_plans()["items"]]
policy = lam.get_policy(FunctionName="orders-api_authorize_bearer")["Policy"]
vpc = lam.get_function_configuration(FunctionName="orders_get_orders")["VpcConfig"]
print(json.dumps({"functions": fns, "params": params, "value": value, "secrets": secrets, "authorizers": authorizers, "plans": plans, "authorizerPolicy": policy, "vpc": vpc}))
`) as Record<string, any>;
    // 6 operations per client module, 6 handlers and 1 authorizer in the api kind.
    expect(names.functions.filter((f: string) => f.startsWith("orders_"))).toHaveLength(6);
    expect(names.functions.filter((f: string) => f.startsWith("orders-sm_"))).toHaveLength(6);
    expect(names.functions.filter((f: string) => f.startsWith("orders-api_"))).toHaveLength(7);
    expect(names.params.sort()).toEqual(["/picorun/orders/credentials-api-key", "/picorun/orders/credentials-http"]);
    expect(names.value).toBe(CREDENTIAL);
    expect(names.secrets.sort()).toEqual(["/picorun/orders-sm/credentials-api-key", "/picorun/orders-sm/credentials-http"]);
    expect(names.authorizers, MOTO_GAPS.authorizersFromDefinition).toEqual([]);
    const api = resources.find((r) => r.type === "aws_api_gateway_rest_api")!;
    const authorizer = JSON.parse(api.values.body).components.securitySchemes.bearer["x-amazon-apigateway-authorizer"];
    expect(authorizer.type).toBe("token");
    expect(authorizer.authorizerUri).toContain(":function:orders-api_authorize_bearer/invocations");
    expect(names.authorizerPolicy).toContain("/authorizers/*");
    expect(names.plans).toHaveLength(1);
    expect(names.vpc.SubnetIds).toEqual([net.subnet]);
    expect(names.vpc.SecurityGroupIds).toHaveLength(1);
  });

  it("keeps the credential out of the state (write-only argument)", () => {
    expect(readFileSync(join(root, "terraform.tfstate"), "utf8")).not.toContain("rehearsal-key-7f3a");
  });

  it("plans no change right after the apply (no perpetual diff)", async () => {
    expect(apply.code).toBe(0);
    const plan = await terraform(["plan", "-detailed-exitcode", "-input=false", "-out=again.tfplan"], root);
    expect([0, 2], plan.out.slice(-4000)).toContain(plan.code);
    const json = JSON.parse((await terraform(["show", "-json", "again.tfplan"], root)).out) as {
      resource_changes?: Array<{ address: string; type: string; change: { actions: string[]; before: Record<string, unknown>; after: Record<string, unknown> } }>;
    };
    const changed = (json.resource_changes ?? []).filter((r) => !r.change.actions.every((a) => a === "no-op" || a === "read"));
    const withoutLogging = (v: Record<string, unknown>) => JSON.stringify({ ...v, logging_config: undefined });
    // Only the moto gap: logging_config planned again on the functions of the module with one shared log group.
    const gap = changed.filter(
      (r) => r.address.startsWith("module.client_sm.aws_lambda_function.this[") && r.change.actions.join() === "update" && withoutLogging(r.change.before) === withoutLogging(r.change.after),
    );
    const changes = plan.out.indexOf("Terraform will perform");
    expect(changed.filter((r) => !gap.includes(r)).map((r) => r.address), `${MOTO_GAPS.lambdaLoggingConfig}\n${plan.out.slice(changes >= 0 ? changes : -6000).slice(0, 8000)}`).toEqual([]);
    expect(gap.length === 0 || gap.length === 6, `${gap.length} functions differ in logging_config only`).toBe(true);
  });

  it("destroys everything and leaves the log groups that have skip_destroy", async () => {
    expect(apply.code).toBe(0);
    const groups = resources.filter((r) => r.type === "aws_cloudwatch_log_group");
    const kept = groups.filter((g) => g.values.skip_destroy === true).map((g) => g.values.name as string);
    const dropped = groups.filter((g) => g.values.skip_destroy !== true).map((g) => g.values.name as string);
    // The functions' log groups are kept by default: 6 + 1 shared + 7.
    expect(kept.filter((n) => n.startsWith("/aws/lambda/"))).toHaveLength(14);
    const destroy = await terraform(["destroy", "-auto-approve", "-input=false"], root);
    expect(destroy.code, destroy.out.slice(-4000)).toBe(0);
    const left = moto.boto(`
print(json.dumps({
  "groups": [g["logGroupName"] for g in client("logs").describe_log_groups()["logGroups"]],
  "functions": [f["FunctionName"] for f in client("lambda").list_functions()["Functions"]],
  "apis": client("apigateway").get_rest_apis()["items"],
}))
`) as { groups: string[]; functions: string[]; apis: unknown[] };
    expect(left.groups.sort()).toEqual([...kept].sort());
    for (const name of dropped) expect(left.groups).not.toContain(name);
    expect(left.functions).toEqual([]);
    expect(left.apis).toEqual([]);
  });

  it("names each moto gap it works around, and each is still a gap", async () => {
    expect(Object.keys(MOTO_GAPS).sort()).toEqual(["authorizersFromDefinition", "lambdaLoggingConfig", "pathLevelParameters", "powertoolsLayer"]);
    // Still missing: a function with the public Powertools layer is refused by moto.
    const gap = moto.boto(`
import io, zipfile
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z: z.writestr("h.py", "def h(e, c): return 1")
iam = client("iam")
role = iam.create_role(RoleName="gap-probe", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))["Role"]["Arn"]
out = {}
try:
    client("lambda").create_function(FunctionName="gap-probe", Runtime="python3.13", Role=role, Handler="h.h", Code={"ZipFile": buf.getvalue()},
        Layers=["arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:27"])
    out["layer"] = "accepted"
except Exception as e:
    out["layer"] = type(e).__name__
lam = client("lambda")
lam.create_function(FunctionName="gap-probe-logs", Runtime="python3.13", Role=role, Handler="h.h", Code={"ZipFile": buf.getvalue()},
    LoggingConfig={"LogFormat": "Text", "LogGroup": "/aws/lambda/gap-probe-shared"})
out["logging"] = lam.get_function_configuration(FunctionName="gap-probe-logs").get("LoggingConfig", {}).get("LogGroup", "missing")
lam.delete_function(FunctionName="gap-probe-logs")
apig = client("apigateway")
api = apig.create_rest_api(name="gap-probe")["id"]
body = {"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {"/a/{id}": {"parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}], "get": {"responses": {"200": {"description": "ok"}}}}}}
try:
    apig.put_rest_api(restApiId=api, mode="overwrite", body=json.dumps(body).encode())
    out["params"] = "accepted"
except Exception as e:
    out["params"] = type(e).__name__
apig.delete_rest_api(restApiId=api)
iam.delete_role(RoleName="gap-probe")
print(json.dumps(out))
`) as { layer: string; params: string; logging: string };
    expect(gap.layer, MOTO_GAPS.powertoolsLayer).not.toBe("accepted");
    expect(gap.logging, MOTO_GAPS.lambdaLoggingConfig).not.toBe("/aws/lambda/gap-probe-shared");
    expect(gap.params, MOTO_GAPS.pathLevelParameters).not.toBe("accepted");
  });
});
