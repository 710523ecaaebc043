/**
 * The deployment model's outputs (src/deployment/outputs.ts) as Terraform `output` blocks, each
 * in the file of its part, laid out as terraform fmt lays them out.
 */
import type { DeploymentModel } from "../../deployment/model.js";
import type { ModuleOutput, OutputPart, OutputValue } from "../../deployment/outputs.js";
import { hclString } from "../../render/escape.js";
import { statementHcl } from "./httpTasks.js";
import { taskFileExpression } from "./tasks.js";

/** The file each part's outputs go to. */
export const OUTPUT_FILES: Record<OutputPart, string> = {
  functions: "outputs.tf",
  api: "outputs.tf",
  credentials: "auth.tf",
  stepFunctions: "stepfunctions.tf",
  httpTasks: "stepfunctions_http.tf",
  example: "stepfunctions_example.tf",
};

function policyJson(statements: string[]): string {
  return ["jsonencode({", '    Version = "2012-10-17"', "    Statement = [", ...statements.map((s) => `      ${s},`), "    ]", "  })"].join("\n");
}

/** The HCL expression of each value (multi-line ones indented as inside an output block). */
function expression(v: OutputValue, m: DeploymentModel): string {
  switch (v) {
    case "functionArns":
      return "{ for key, fn in aws_lambda_function.this : local.function_names[key] => fn.arn }";
    case "functionNamesByModule":
      return "{ for key, fn in local.functions : fn.module => local.function_names[key] }";
    case "functionNamesByOperation":
      return "{ for key, fn in local.functions : fn.operation_id => local.function_names[key] }";
    case "roleArn":
      return m.role.existingRoleArn === undefined ? "aws_iam_role.lambda.arn" : "local.role_arn";
    case "layerArn":
      return "aws_lambda_layer_version.runtime.arn";
    case "powertoolsLayerArn":
      return "length(local.powertools) > 0 ? local.powertools[0] : null";
    case "logGroupNames":
      return '{ for key, name in local.function_names : name => var.shared_log_group ? local.shared_log_group_name : "/aws/lambda/${name}" }';
    case "invokeUrl":
      return "aws_api_gateway_stage.this.invoke_url";
    case "apiId":
      return "aws_api_gateway_rest_api.this.id";
    case "executionArn":
      return "aws_api_gateway_rest_api.this.execution_arn";
    case "apiKeyId":
      return "one(aws_api_gateway_api_key.this[*].id)";
    case "apiKeyValue":
      return "one(aws_api_gateway_api_key.this[*].value)";
    case "usagePlanId":
      return "one(aws_api_gateway_usage_plan.this[*].id)";
    case "authorizerFunctionNames":
      return '{ for name, fn in local.authorizers : trimprefix(fn.operation_id, "authorizer:") => local.function_names[name] }';
    case "accessLogGroup":
      return "aws_cloudwatch_log_group.access.name";
    case "credentialsKeyArn":
      return "local.credentials_key_arn";
    case "credentialNames":
      return "local.credential_names";
    case "stepFunctionsTasks":
      return "local.step_functions_tasks";
    case "invokePolicyJson":
      return [
        "jsonencode({",
        '    Version = "2012-10-17"',
        "    Statement = [{",
        '      Sid      = "InvokePicofunFunctions"',
        '      Effect   = "Allow"',
        '      Action   = "lambda:InvokeFunction"',
        "      Resource = local.invoke_resources",
        "    }]",
        "  })",
      ].join("\n");
    case "httpTasks":
      return [
        "{",
        "    for name, key in local.http_task_functions :",
        `    name => templatefile(${taskFileExpression(m.stepFunctions!, "http", "name")}, { connection_arn = aws_cloudwatch_event_connection.http_task[key].arn })`,
        "  }",
      ].join("\n");
    case "httpTasksPolicyJson":
      return policyJson((m.stepFunctions?.http?.statements ?? []).map(statementHcl));
    case "exampleStateMachineArn":
      return "aws_sfn_state_machine.example.arn";
  }
}

/** One `output` block. */
export function outputHcl(o: ModuleOutput, m: DeploymentModel): string {
  const pairs: Array<[string, string]> = [
    ["description", hclString(o.description)],
    ["value", expression(o.value, m)],
  ];
  if (o.sensitive) pairs.push(["sensitive", "true"]);
  // terraform fmt aligns the `=` of consecutive one-line arguments; a multi-line value breaks the run.
  const width = pairs.every(([, v]) => !v.includes("\n")) ? Math.max(...pairs.map(([k]) => k.length)) : 0;
  return [`output ${hclString(o.name)} {`, ...pairs.map(([k, v]) => `  ${k.padEnd(width)} = ${v}`), "}"].join("\n");
}

/** The output blocks of one file, in the model's order. */
export function outputsIn(file: string, m: DeploymentModel): string {
  return m.outputs
    .filter((o) => OUTPUT_FILES[o.part] === file)
    .map((o) => outputHcl(o, m))
    .join("\n\n");
}
