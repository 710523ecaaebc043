import { describe, expect, it } from "vitest";
import type { DeploymentModel, StepFunctionsModel } from "../../src/deployment/model.js";
import { clientOutputs } from "../../src/deployment/outputs.js";
import type { FilePlan } from "../../src/deployment/files.js";
import { emitCdk } from "../../src/iac/cdk/emit.js";
import { emitTerraform } from "../../src/iac/terraform/emit.js";
import { TemplateSet } from "../../src/render/templates.js";
import { handMadeClient, plannedModel } from "../support/deploymentModels.js";

/**
 * The Step Functions Task states as typed entries of the model (`stepFunctions.tasks`): what the
 * client kind plans, and that the emitters build the step_functions_tasks / http_tasks outputs
 * (and the HTTP Tasks' connections by function) from those entries.
 */

const SPEC = `openapi: 3.0.3
info: { title: Pets, version: "1" }
servers: [{ url: "https://pets.example.com/v1" }]
paths:
  /pets:
    get:
      operationId: listPets
      responses: { "200": { description: ok, content: { application/json: { schema: { type: object } } } } }
    post:
      operationId: addPet
      requestBody: { content: { application/octet-stream: { schema: { type: string, format: binary } } } }
      responses: { "201": { description: created } }
`;

function modelFor(kind: "client" | "api"): Promise<DeploymentModel> {
  return plannedModel(SPEC, { kind, stepfunctions: { http_tasks: true } });
}

const templates = new TemplateSet();
const rendered = (plan: FilePlan, path: string) => templates.render(plan.renders.find((r) => r.path === path)!.template, plan.renders.find((r) => r.path === path)!.data);

/** A client model with Step Functions, HTTP Tasks in a folder of its own choosing. */
function withTasks(sf: Partial<StepFunctionsModel>): DeploymentModel {
  const m = handMadeClient();
  m.stepFunctions = {
    tasks: [],
    http: {
      tasks: [],
      connections: [{ key: "no-auth", authorizationType: "API_KEY", apiKey: { header: "X-No", placeholder: "none" }, description: "d", functions: ["shop_get_items"] }],
      statements: [{ sid: "Call", actions: ["states:InvokeHTTPEndpoint"], resources: [{ literal: "*" }] }],
      staysLambda: [],
    },
    ...sf,
  };
  m.outputs = clientOutputs({ credentials: true, stepFunctions: true, httpTasks: true, example: false });
  return m;
}

describe("the Task states in the model", () => {
  it("client kind: a Lambda Task per function, an HTTP Task per endpoint one can call, each with its file and placeholder", async () => {
    const m = await modelFor("client");
    const sf = m.stepFunctions!;
    expect(sf.tasks.filter((t) => t.kind === "lambda")).toEqual([
      { function: "pets_get_pets", kind: "lambda", path: "stepfunctions/pets_get_pets.json", placeholder: "function_arn" },
      { function: "pets_post_pets", kind: "lambda", path: "stepfunctions/pets_post_pets.json", placeholder: "function_arn" },
    ]);
    const http = sf.tasks.filter((t) => t.kind === "http");
    expect(http).toEqual([{ function: "pets_get_pets", kind: "http", path: "stepfunctions/http/pets_get_pets.json", placeholder: "connection_arn", connection: "no-auth" }]);
    // Every entry is a file the model writes.
    const files = new Set(m.files.renders.map((r) => r.path));
    for (const t of sf.tasks) expect(files.has(t.path), t.path).toBe(true);
  });

  it("api kind: none", async () => {
    expect((await modelFor("api")).stepFunctions).toBeUndefined();
  });
});

describe("the emitters build the tasks' outputs from the entries", () => {
  const tasks = (dir: string, httpDir: string) => [
    { function: "shop_get_items", kind: "lambda" as const, path: `${dir}/shop_get_items.json`, placeholder: "function_arn" as const },
    { function: "shop_get_items", kind: "http" as const, path: `${httpDir}/shop_get_items.json`, placeholder: "connection_arn" as const, connection: "no-auth" },
  ];

  it("Terraform: templatefile reads the entries' folder; the HTTP Tasks' connections by function come from the entries", () => {
    const { plan } = emitTerraform(withTasks({ tasks: tasks("sfn", "sfn/calls") }));
    expect(rendered(plan, "stepfunctions.tf")).toContain('fn.function_name => templatefile("${path.module}/sfn/${key}.json", { function_arn = fn.arn })');
    const http = rendered(plan, "stepfunctions_http.tf");
    expect(http).toContain('  http_task_functions = {\n    "shop_get_items" = "no-auth"\n  }');
    expect(http).toContain('name => templatefile("${path.module}/sfn/calls/${name}.json", { connection_arn = aws_cloudwatch_event_connection.http_task[key].arn })');
  });

  it("Terraform: no HTTP Task entry, no HTTP Tasks file; an entry the module cannot read by name is refused", () => {
    const plan = emitTerraform(withTasks({ tasks: tasks("stepfunctions", "x").slice(0, 1) })).plan;
    expect(plan.renders.map((r) => r.path)).not.toContain("stepfunctions_http.tf");
    const odd = tasks("stepfunctions", "x");
    odd[0].path = "stepfunctions/other.json";
    expect(() => emitTerraform(withTasks({ tasks: odd }))).toThrow(/stepfunctions\/<function>\.json/);
  });

  it("CDK: lib/http-tasks.json's tasks are the HTTP Task entries, lib/functions.json's the Lambda Task files", () => {
    const { plan } = emitCdk(withTasks({ tasks: tasks("sfn", "stepfunctions/http") }));
    const json = (path: string) => JSON.parse((plan.renders.find((r) => r.path === path)!.data as { content: string }).content);
    expect(json("lib/http-tasks.json").tasks).toEqual({ shop_get_items: "no-auth" });
    expect(json("lib/functions.json").tasks).toEqual({ shop_get_items: "sfn/shop_get_items.json" });
  });
});
