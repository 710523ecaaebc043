import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { cdkSynth, ofType, synthesizedTemplates, type CfnTemplate } from "../support/cdk.js";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";

const ORDERS = join(REPO, "examples", "orders");

/** The orders example with HTTP Bearer authentication on every operation. */
function ordersWithAuth(extraToml: string[] = []): string {
  const dir = tempProject(ORDERS);
  const doc = yaml.load(readFileSync(join(dir, "openapi.yaml"), "utf8")) as Record<string, any>;
  doc.components = { ...(doc.components ?? {}), securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } };
  doc.security = [{ bearerAuth: [] }];
  writeFileSync(join(dir, "openapi.yaml"), yaml.dump(doc));
  if (extraToml.length) writeFileSync(join(dir, "picofun.toml"), `${extraToml.join("\n")}\n${readFileSync(join(dir, "picofun.toml"), "utf8")}`);
  return dir;
}

function only(templates: Map<string, CfnTemplate>, name: string): CfnTemplate {
  const t = templates.get(name);
  if (!t) throw new Error(`no ${name} in ${[...templates.keys()].join(", ")}`);
  return t;
}

const join$ = (v: unknown) => JSON.stringify(v);

describe("CDK output, client kind (orders example, auth on)", () => {
  let out: string;
  let t: CfnTemplate;

  beforeAll(async () => {
    const dir = ordersWithAuth();
    const res = await runCli(["--cdk", "--format", "swagger2"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr.split("\n")).toEqual([
      "picofun: note: --cdk is the Python PicoFun's flag; picofun's is --iac cdk",
      "picofun: note: --format swagger2 is the Python PicoFun's flag; picofun detects the version from the document and only checks it against the hint",
      "",
    ]);
    expect(res.stdout).toContain("--format swagger2 was given but the spec is OpenAPI 3; going by the document");
    expect(res.stdout).toContain("npx cdk deploy");
    out = join(dir, "output");
    const synth = await cdkSynth(out);
    expect(synth.code, synth.out).toBe(0);
    t = only(synthesizedTemplates(out), "orders.template.json");
    // The construct and app type-check against aws-cdk-lib's declarations.
    const tsc = spawnSync("npx", ["tsc", "--noEmit", "-p", "."], { cwd: out, encoding: "utf8" });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  }, 900_000);

  it("writes a CDK package in place of the Terraform module", () => {
    const pkg = JSON.parse(readFileSync(join(out, "package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["aws-cdk-lib", "constructs"]);
    expect(pkg.devDependencies).toHaveProperty("aws-cdk");
    expect(pkg.devDependencies).toHaveProperty("tsx");
    expect(JSON.parse(readFileSync(join(out, "cdk.json"), "utf8")).app).toBe("npx tsx app.ts");
    expect(readFileSync(join(out, "app.ts"), "utf8")).toContain('new Stack(app, "orders"');
    expect(readFileSync(join(out, "lib", "orders-functions.ts"), "utf8")).toContain("export class OrdersFunctions extends Construct");
    expect(() => readFileSync(join(out, "main.tf"))).toThrow();
    const readme = readFileSync(join(out, "README.md"), "utf8");
    expect(readme).toContain("6 Lambda functions calling Orders API");
    expect(readme).toContain("new OrdersFunctions(stack,");
    expect(readme).toContain("| `memorySize` | MB, 128 to 10240. | `number` | `128` |");
    expect(readme).toContain("| `orders_get_orders` | `GET /orders` |");
    expect(readme).not.toMatch(/terraform/i);
  });

  it("synthesizes the functions with runtime, arm64, tracing and the layers", () => {
    const fns = ofType(t, "AWS::Lambda::Function").filter((f) => String(f.Properties.FunctionName ?? "").startsWith("orders_"));
    expect(fns.map((f) => f.Properties.FunctionName).sort()).toEqual([
      "orders_delete_orders_orderId",
      "orders_get_catalog_items_json",
      "orders_get_orders",
      "orders_get_orders_orderId",
      "orders_post_orders",
      "orders_put_orders_orderId_line_items_item_id",
    ]);
    const layer = ofType(t, "AWS::Lambda::LayerVersion");
    expect(layer).toHaveLength(1);
    expect(layer[0].Properties.LayerName).toBe("orders-picorun");
    for (const f of fns) {
      expect(f.Properties.Runtime).toBe("python3.13");
      expect(f.Properties.Architectures).toEqual(["arm64"]);
      expect(f.Properties.TracingConfig).toEqual({ Mode: "Active" });
      expect(f.Properties.Layers[0]).toEqual({ Ref: layer[0].id });
      expect(join$(f.Properties.Layers[1])).toContain("017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:27");
      expect(f.Properties.Handler).toBe(`${f.Properties.FunctionName.slice("orders_".length)}.handler`);
      expect(f.Properties.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: "orders", PICORUN_CREDENTIALS_PREFIX: "/picorun/orders", PICORUN_CREDENTIALS_TTL: "300" });
      expect(f.Properties.Tags).toContainEqual({ Key: "project", Value: "picofun-example" });
      expect(f.Properties.Tags).toContainEqual({ Key: "generated_by", Value: "picofun" });
    }
  });

  it("gives each function a log group with the retention", () => {
    const groups = ofType(t, "AWS::Logs::LogGroup");
    expect(groups).toHaveLength(6);
    for (const g of groups) {
      expect(g.Properties.RetentionInDays).toBe(14);
      expect(g.Properties.LogGroupName).toMatch(/^\/aws\/lambda\/orders_/);
    }
    const role = ofType(t, "AWS::IAM::Role").find((r) => r.Properties.RoleName === "pf-orders")!;
    expect(join$(role.Properties.Policies)).toContain(":log-group:/aws/lambda/orders_*:*");
    expect(join$(role.Properties)).not.toContain("AWSLambdaBasicExecutionRole");
  });

  it("creates the KMS key and grants read on exactly the credentials parameter", () => {
    const keys = ofType(t, "AWS::KMS::Key");
    expect(keys).toHaveLength(1);
    expect(keys[0].Properties.EnableKeyRotation).toBe(true);
    expect(ofType(t, "AWS::KMS::Alias")[0].Properties.AliasName).toBe("alias/picorun-orders-credentials");
    // No parameter resource (CloudFormation cannot hold a SecureString): a custom resource puts a placeholder once.
    expect(ofType(t, "AWS::SSM::Parameter")).toHaveLength(0);
    const put = ofType(t, "Custom::PicofunCredentialParameter");
    expect(put).toHaveLength(1);
    const create = join$(put[0].Properties.Create);
    expect(create).toContain('\\"Overwrite\\":false');
    expect(create).toContain("ParameterAlreadyExists");
    expect(create).toContain("SecureString");
    const role = ofType(t, "AWS::IAM::Role").find((r) => r.Properties.RoleName === "pf-orders")!;
    const policy = ofType(t, "AWS::IAM::Policy").find((p) => join$(p.Properties.Roles) === join$([{ Ref: role.id }]))!;
    const statements = policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>;
    const read = statements.find((s) => s.Sid === "ReadCredentials")!;
    expect(read.Action).toBe("ssm:GetParameter");
    expect(join$(read.Resource)).toMatch(/:parameter\/picorun\/orders\/credentials-http"\]\]\}$/);
    expect(Array.isArray(read.Resource)).toBe(false);
    const decrypt = statements.find((s) => s.Sid === "DecryptCredentials")!;
    expect(decrypt.Action).toBe("kms:Decrypt");
    expect(decrypt.Resource).toEqual({ "Fn::GetAtt": [keys[0].id, "Arn"] });
    expect(join$(decrypt.Condition)).toContain("kms:ViaService");
  });
});

describe("CDK output, api kind (orders example)", () => {
  let t: CfnTemplate;

  beforeAll(async () => {
    const dir = ordersWithAuth(['kind = "api"', 'iac = "cdk"', "auth_enabled = true"]);
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toBe(`picofun: note: ${join(dir, "picofun.toml")}: "auth_enabled" is the Python PicoFun's key; picofun reads it as [auth] enabled\n`);
    const out = join(dir, "output");
    expect(readFileSync(join(out, "lib", "orders-api.ts"), "utf8")).toContain("export class OrdersApi extends Construct");
    const synth = await cdkSynth(out);
    expect(synth.code, synth.out).toBe(0);
    t = only(synthesizedTemplates(out), "orders.template.json");
  }, 900_000);

  it("imports the definition with every integration's invoke ARN filled in", () => {
    const apis = ofType(t, "AWS::ApiGateway::RestApi");
    expect(apis).toHaveLength(1);
    expect(apis[0].Properties.Name).toBe("Orders API");
    expect(apis[0].Properties.Parameters).toEqual({ basepath: "ignore" });
    const body = apis[0].Properties.Body;
    const methods = ["get", "put", "post", "delete", "patch", "head", "options"];
    const ops = Object.values(body.paths as Record<string, Record<string, any>>).flatMap((item) =>
      Object.entries(item).filter(([m]) => methods.includes(m)).map(([, op]) => op),
    );
    expect(ops).toHaveLength(6);
    const fnIds = new Set(ofType(t, "AWS::Lambda::Function").map((f) => f.id));
    for (const op of ops) {
      const integration = op["x-amazon-apigateway-integration"];
      expect(integration.type).toBe("aws_proxy");
      expect(integration.httpMethod).toBe("POST");
      const uri = join$(integration.uri);
      expect(uri).toContain(":apigateway:");
      expect(uri).toContain("/invocations");
      const ref = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(uri);
      expect(ref && fnIds.has(ref[1])).toBe(true);
      expect(uri).not.toContain("${uris.");
    }
  });

  it("has the stage of the Terraform module and one permission per operation", () => {
    const stages = ofType(t, "AWS::ApiGateway::Stage");
    expect(stages).toHaveLength(1);
    expect(stages[0].Properties.StageName).toBe("v1");
    expect(stages[0].Properties.TracingEnabled).toBe(true);
    // The six operations (bearer: behind the Lambda authorizer, whose own permission is for the API's authorizers).
    const permissions = ofType(t, "AWS::Lambda::Permission").filter((p) => !p.id.includes("AllowInvokeAsAuthorizer"));
    expect(permissions).toHaveLength(6);
    const arns = permissions.map((p) => join$(p.Properties.SourceArn));
    expect(new Set(arns).size).toBe(6);
    for (const p of permissions) {
      expect(p.Properties.Principal).toBe("apigateway.amazonaws.com");
      expect(p.Properties.Action).toBe("lambda:InvokeFunction");
    }
    expect(arns.some((a) => a.includes('"/v1/PUT/orders/*/line-items/*"'))).toBe(true);
    expect(arns.some((a) => a.includes('"/v1/GET/orders"'))).toBe(true);
    const fns = ofType(t, "AWS::Lambda::Function").filter((f) => String(f.Properties.FunctionName ?? "").startsWith("orders_"));
    expect(fns.map((f) => f.Properties.FunctionName)).toContain("orders_authorize_bearerAuth");
    expect(fns).toHaveLength(7);
    for (const f of fns) {
      expect(f.Properties.Architectures).toEqual(["arm64"]);
      expect(f.Properties.TracingConfig).toEqual({ Mode: "Active" });
    }
    expect(ofType(t, "AWS::Logs::LogGroup").every((g) => g.Properties.RetentionInDays === 14)).toBe(true);
  });
});
