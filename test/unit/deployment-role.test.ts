import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DeploymentModel } from "../../src/deployment/model.js";
import { credentialsPolicy, type RolePolicy } from "../../src/deployment/role.js";
import type { FilePlan } from "../../src/deployment/files.js";
import { emitCdk } from "../../src/iac/cdk/emit.js";
import { emitTerraform } from "../../src/iac/terraform/emit.js";
import { TemplateSet } from "../../src/render/templates.js";
import { handMadeApi, handMadeClient, plannedModel } from "../support/deploymentModels.js";

/**
 * The role's policies in the deployment model (src/deployment/role.ts): what each kind plans for a
 * small spec, and that each emitter renders exactly the model's policies (a policy added to a
 * hand-built model shows up in both emitters' output, with its condition).
 */

const SPEC = `openapi: 3.0.3
info: { title: Pets, version: "1" }
servers: [{ url: "https://pets.example.com/v1" }]
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
security: [{ bearer: [] }]
paths:
  /pets:
    get:
      operationId: listPets
      responses: { "200": { description: ok } }
`;

function modelFor(kind: "client" | "api", store: "ssm" | "secretsmanager" = "ssm"): Promise<DeploymentModel> {
  return plannedModel(SPEC, { kind, auth: { store } });
}

const templates = new TemplateSet();
function rendered(plan: FilePlan, path: string): string {
  const job = plan.renders.find((r) => r.path === path);
  if (!job) throw new Error(`${path} not planned`);
  return templates.render(job.template, job.data);
}
const cdkJson = (plan: FilePlan, path: string) => JSON.parse((plan.renders.find((r) => r.path === path)!.data as { content: string }).content);

/** A policy no kind plans today: what a new feature would add. */
const QUEUE: RolePolicy = {
  name: "queue",
  purpose: "Sends the results to the queue.",
  when: "vpc",
  unscoped: "For the test.",
  statements: [{ sid: "SendResults", actions: ["sqs:SendMessage"], resources: ["any"] }],
};

describe("the role's policies in the model of a small spec", () => {
  it("client kind: logs, VPC (when in a VPC), X-Ray (when tracing), and the credentials it reads through SSM", async () => {
    const m = await modelFor("client");
    expect(m.role.policies.map((p) => [p.name, p.when, p.awsManagedPolicy])).toEqual([
      ["logs", undefined, undefined],
      ["vpc", "vpc", undefined],
      ["xray", "xrayTracing", "AWSXRayDaemonWriteAccess"],
      ["credentials", undefined, undefined],
    ]);
    expect(m.role.policies[0].statements).toEqual([{ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: ["logGroups"] }]);
    expect(m.role.policies[1].statements[0].resources).toEqual(["any"]);
    expect(m.role.policies[3].statements).toEqual([
      { sid: "ReadCredentials", actions: ["ssm:GetParameter"], resources: ["credentials"] },
      { sid: "DecryptCredentials", actions: ["kms:Decrypt"], resources: ["credentialsKey"], viaCredentialStore: true },
    ]);
    const sm = await modelFor("client", "secretsmanager");
    expect(sm.role.policies[3].statements[0].actions).toEqual(["secretsmanager:GetSecretValue"]);
  });

  it("api kind: the same function policies, no credentials", async () => {
    const m = await modelFor("api");
    expect(m.role.policies.map((p) => p.name)).toEqual(["logs", "vpc", "xray"]);
    expect(m.role.existingRoleArn).toBeNull();
  });

  it("a rotating refresh token adds the write-back statements, on the write-back stores only", () => {
    for (const [store, put, encrypt] of [
      ["ssm", "ssm:PutParameter", "kms:Encrypt"],
      ["secretsmanager", "secretsmanager:PutSecretValue", "kms:GenerateDataKey"],
    ] as const) {
      const p = credentialsPolicy({ store, writeBackTypes: ["oauth2"] });
      expect(p.statements.slice(2).map((s) => [s.sid, s.actions, s.resources, !!s.viaCredentialStore])).toEqual([
        ["WriteRotatedRefreshToken", [put], ["writeBackCredentials"], false],
        ["EncryptRotatedRefreshToken", [encrypt], ["credentialsKey"], true],
      ]);
    }
  });
});

describe("the Terraform emitter renders the model's policies", () => {
  it("client: iam.tf holds each function policy (its condition as count), auth.tf the credentials'", () => {
    const { plan } = emitTerraform(handMadeClient());
    const iam = rendered(plan, "iam.tf");
    expect(iam).toContain('data "aws_iam_policy_document" "logs" {');
    expect(iam).toContain('resource "aws_iam_role_policy" "vpc" {\n  count  = local.vpc_enabled ? 1 : 0\n  name   = "vpc"\n  role   = aws_iam_role.lambda.id');
    expect(iam).toContain('resource "aws_iam_role_policy_attachment" "xray" {\n  count      = var.xray_tracing ? 1 : 0');
    expect(iam).not.toContain("ReadCredentials");
    const auth = rendered(plan, "auth.tf");
    expect(auth).toContain(
      '    sid       = "ReadCredentials"\n    actions   = ["secretsmanager:GetSecretValue"]\n    resources = [for type in sort(tolist(local.credential_types)) : aws_secretsmanager_secret.credentials[type].arn]',
    );
    expect(auth).toContain('resource "aws_iam_role_policy" "credentials" {');
  });

  it("a policy added to the model shows up, guarded by its setting and, in the api kind, by an adopted role", () => {
    const client = handMadeClient();
    client.role.policies.push(QUEUE);
    const iam = rendered(emitTerraform(client).plan, "iam.tf");
    expect(iam).toContain(
      [
        "# Sends the results to the queue.",
        'data "aws_iam_policy_document" "queue" {',
        "  #checkov:skip=CKV_AWS_111:For the test.",
        "  #checkov:skip=CKV_AWS_356:For the test.",
        "  statement {",
        '    sid       = "SendResults"',
        '    actions   = ["sqs:SendMessage"]',
        '    resources = ["*"]',
        "  }",
        "}",
        "",
        'resource "aws_iam_role_policy" "queue" {',
        "  count  = local.vpc_enabled ? 1 : 0",
        '  name   = "queue"',
        "  role   = aws_iam_role.lambda.id",
        "  policy = data.aws_iam_policy_document.queue.json",
        "}",
      ].join("\n"),
    );
    const api = handMadeApi();
    api.role.policies.push(QUEUE);
    expect(rendered(emitTerraform(api).plan, "iam.tf")).toContain('resource "aws_iam_role_policy" "queue" {\n  count  = var.execution_role_arn == null && local.vpc_enabled ? 1 : 0\n  name   = "queue"\n  role   = aws_iam_role.lambda[0].id');
  });

  it("a policy taken out of the model is gone from the module", () => {
    const m = handMadeClient();
    m.role.policies = m.role.policies.filter((p) => p.name !== "vpc");
    const iam = rendered(emitTerraform(m).plan, "iam.tf");
    expect(iam).not.toContain("ec2:");
    expect(iam).toContain('"logs"');
  });
});

describe("the CDK emitter gives the construct the model's policies", () => {
  it("client and api: the data file's role.policies are the model's, an added one included; lib/role.ts is copied", () => {
    const client = handMadeClient();
    client.role.policies.push(QUEUE);
    const c = emitCdk(client).plan;
    expect(cdkJson(c, "lib/functions.json").role.policies).toEqual(client.role.policies);
    expect(c.copies.map((j) => j.path)).toContain("lib/role.ts");
    const api = handMadeApi();
    api.role.policies.push(QUEUE);
    const a = emitCdk(api).plan;
    expect(cdkJson(a, "lib/api.json").role.policies.map((p: RolePolicy) => p.name)).toEqual(["logs", "vpc", "xray", "queue"]);
  });
});
