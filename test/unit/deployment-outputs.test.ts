import { describe, expect, it } from "vitest";
import type { DeploymentModel } from "../../src/deployment/model.js";
import type { FilePlan } from "../../src/deployment/files.js";
import { cdkOutputPlaces, cdkStackOutputs } from "../../src/iac/cdk/outputs.js";
import { emitTerraform } from "../../src/iac/terraform/emit.js";
import { TemplateSet } from "../../src/render/templates.js";
import { handMadeApi, handMadeClient, plannedModel } from "../support/deploymentModels.js";

/**
 * The deployment's outputs in the model (src/deployment/outputs.ts): the names each kind and
 * feature gives (a public interface), and that the Terraform emitter writes exactly the model's
 * outputs into each part's file while the CDK emitter places each one in the app.
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

function modelFor(kind: "client" | "api", stepfunctions: Record<string, boolean> = {}): Promise<DeploymentModel> {
  return plannedModel(SPEC, { kind, stepfunctions });
}

const templates = new TemplateSet();
function rendered(plan: FilePlan, path: string): string {
  const job = plan.renders.find((r) => r.path === path);
  if (!job) throw new Error(`${path} not planned`);
  return templates.render(job.template, job.data);
}
const outputNames = (hcl: string) => [...hcl.matchAll(/^output "([^"]+)"/gm)].map((m) => m[1]);

const FUNCTIONS = ["function_arns", "lambda_function_arns", "function_names", "role_arn", "iam_role_arn"];

describe("the outputs in the model of a small spec", () => {
  it("client kind: the functions', the credentials', Step Functions' and HTTP Tasks' outputs under their names", async () => {
    const m = await modelFor("client", { http_tasks: true, example: true });
    expect(m.outputs.map((o) => [o.name, o.part])).toEqual([
      ...FUNCTIONS.map((n) => [n, "functions"]),
      ["layer_arn", "functions"],
      ["powertools_layer_arn", "functions"],
      ["log_group_names", "functions"],
      ["credentials_kms_key_arn", "credentials"],
      ["credential_parameters", "credentials"],
      ["step_functions_tasks", "stepFunctions"],
      ["invoke_policy_json", "stepFunctions"],
      ["http_tasks", "httpTasks"],
      ["http_tasks_policy_json", "httpTasks"],
      ["example_state_machine_arn", "example"],
    ]);
    expect(m.outputs.find((o) => o.name === "function_names")?.value).toBe("functionNamesByModule");
  });

  it("api kind: the API's outputs, the API key's sensitive", async () => {
    const m = await modelFor("api");
    expect(m.outputs.map((o) => o.name)).toEqual([
      "invoke_url",
      "api_id",
      "execution_arn",
      ...FUNCTIONS,
      "api_key_id",
      "api_key_value",
      "usage_plan_id",
      "authorizer_function_names",
      "access_log_group",
    ]);
    expect(m.outputs.filter((o) => o.sensitive).map((o) => o.name)).toEqual(["api_key_id", "api_key_value"]);
    expect(m.outputs.find((o) => o.name === "function_names")?.value).toBe("functionNamesByOperation");
  });
});

describe("the Terraform emitter writes the model's outputs", () => {
  it("each in its part's file, in the model's order; an added one appears, a removed one is gone", () => {
    const m = handMadeClient();
    m.outputs = m.outputs.filter((o) => o.name !== "log_group_names");
    m.outputs.push({ name: "key_again", description: "The key, once more.", value: "credentialsKeyArn", part: "credentials", sensitive: true });
    const { plan } = emitTerraform(m);
    expect(outputNames(rendered(plan, "outputs.tf"))).toEqual([...FUNCTIONS, "layer_arn", "powertools_layer_arn"]);
    const auth = rendered(plan, "auth.tf");
    expect(outputNames(auth)).toEqual(["credentials_kms_key_arn", "credential_parameters", "key_again"]);
    expect(auth).toContain('output "key_again" {\n  description = "The key, once more."\n  value       = local.credentials_key_arn\n  sensitive   = true\n}\n');
  });

  it("the role's ARN as the module has it: its own role, or the adopted one's", () => {
    expect(rendered(emitTerraform(handMadeClient()).plan, "outputs.tf")).toContain('output "role_arn" {\n  description = "ARN of the functions\' IAM role."\n  value       = aws_iam_role.lambda.arn\n}');
    expect(rendered(emitTerraform(handMadeApi()).plan, "outputs.tf")).toContain('output "role_arn" {\n  description = "Execution role of the functions."\n  value       = local.role_arn\n}');
  });
});

describe("the CDK emitter places the model's outputs", () => {
  it("stack outputs where the construct makes them (the API key's only when some operation needs it)", () => {
    const api = handMadeApi();
    expect(cdkStackOutputs(api).map((o) => o.name)).toEqual(["Endpoint", "ApiKeyId", "UsagePlanId"]);
    api.api!.apiKeyRequired = false;
    expect(cdkStackOutputs(api).map((o) => o.name)).toEqual(["Endpoint"]);
    api.outputs = api.outputs.filter((o) => o.name !== "invoke_url");
    expect(cdkStackOutputs(api)).toEqual([]);
    expect(cdkStackOutputs(handMadeClient())).toEqual([]);
  });

  it("every output of the model under its name, with the construct's property that holds it", () => {
    const m = handMadeClient();
    m.outputs.push({ name: "tasks_again", description: "d", value: "stepFunctionsTasks", part: "stepFunctions" });
    const places = cdkOutputPlaces(m);
    expect(places.map((p) => p.name)).toEqual(m.outputs.map((o) => o.name));
    expect(places.find((p) => p.name === "role_arn")?.property).toBe("role.roleArn");
    expect(places.at(-1)).toEqual({ name: "tasks_again", description: "d", property: "tasks" });
  });
});
