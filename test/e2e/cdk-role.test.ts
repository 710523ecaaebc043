import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ofType, synthConstruct, type CfnTemplate, type ConstructResult } from "../support/cdk.js";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";

/**
 * The CDK constructs build the role from the data file's role.policies (the deployment model's,
 * src/deployment/role.ts) through lib/role.ts: a policy added there shows up in the synthesized
 * role under its condition, and one taken out is gone. The emitter side (the model's policies in
 * the data file) is test/unit/deployment-role.test.ts.
 */

const VPC = { vpcId: "vpc-0011223344556677f", subnets: ["subnet-0123456789abcdef0"] };
const QUEUE = { name: "queue", purpose: "test", when: "vpc", statements: [{ sid: "SendResults", actions: ["sqs:SendMessage"], resources: ["any"] }] };
const ALWAYS = { name: "tables", purpose: "test", statements: [{ actions: ["dynamodb:GetItem"], resources: ["logGroups"] }] };

async function generated(kind: "client" | "api"): Promise<string> {
  const dir = tempProject();
  copyFileSync(join(REPO, "examples", "orders", "openapi.yaml"), join(dir, "spec.yaml"));
  writeFileSync(join(dir, "picofun.toml"), `namespace = "orders"\nspec = "spec.yaml"\noutput_dir = "output"\niac = "cdk"\nkind = "${kind}"\n`);
  const res = await runCli(["generate"], { cwd: dir, timeoutMs: 300_000 });
  expect(res.code, res.stderr).toBe(0);
  return join(dir, "output");
}

/** Rewrites the data file's policies as a model with other policies would have written them. */
function editPolicies(out: string, file: string, edit: (p: Array<{ name: string }>) => unknown[]): void {
  const path = join(out, "lib", file);
  const data = JSON.parse(readFileSync(path, "utf8"));
  data.role.policies = edit(data.role.policies);
  writeFileSync(path, JSON.stringify(data, null, 2));
}

function inline(r: ConstructResult): Record<string, Array<Record<string, unknown>>> {
  if ("error" in r) throw new Error(r.error);
  const t: CfnTemplate = r.template;
  const role = ofType(t, "AWS::IAM::Role").find((x) => x.Properties.RoleName === "pf-orders")!;
  return Object.fromEntries((role.Properties.Policies ?? []).map((p: { PolicyName: string; PolicyDocument: { Statement: Array<Record<string, unknown>> } }) => [p.PolicyName, p.PolicyDocument.Statement]));
}

describe("CDK constructs: the role's inline policies come from the data file (in-process synth)", () => {
  const results: Record<string, ConstructResult[]> = {};

  beforeAll(async () => {
    for (const [kind, file, cls] of [
      ["client", "functions.json", "OrdersFunctions"],
      ["api", "api.json", "OrdersApi"],
    ] as const) {
      const out = await generated(kind);
      const planned = synthConstruct(out, `./lib/orders-${kind === "api" ? "api" : "functions"}`, cls, [{}, VPC]);
      editPolicies(out, file, (p) => [...p.filter((x) => x.name !== "vpc"), QUEUE, ALWAYS]);
      results[kind] = [...planned, ...synthConstruct(out, `./lib/orders-${kind === "api" ? "api" : "functions"}`, cls, [{}, VPC])];
    }
  }, 600_000);

  for (const kind of ["client", "api"] as const) {
    it(`${kind}: as planned, logs always and the VPC's network interfaces with a VPC`, () => {
      const [plain, vpc] = results[kind].map(inline);
      expect(Object.keys(plain)).toEqual(["logs"]);
      expect(plain.logs).toEqual([
        {
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Effect: "Allow",
          Resource: { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":logs:eu-west-1:123456789012:log-group:/aws/lambda/orders_*:*"]] },
        },
      ]);
      expect(Object.keys(vpc)).toEqual(["logs", "vpc"]);
      expect(vpc.vpc[0]).toMatchObject({ Resource: "*", Action: expect.arrayContaining(["ec2:CreateNetworkInterface"]) });
    });

    it(`${kind}: a policy added to the data shows up under its condition, one taken out is gone`, () => {
      const [plain, vpc] = results[kind].slice(2).map(inline);
      expect(Object.keys(plain)).toEqual(["logs", "tables"]);
      expect(plain.tables[0].Action).toBe("dynamodb:GetItem");
      expect(Object.keys(vpc)).toEqual(["logs", "queue", "tables"]);
      expect(vpc.queue).toEqual([{ Sid: "SendResults", Action: "sqs:SendMessage", Effect: "Allow", Resource: "*" }]);
    });
  }
});
