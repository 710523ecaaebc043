import type { ClientContribution, FeatureInput } from "../features/types.js";
import type { RenderJob } from "../plan/types.js";
import { nameEndpoints } from "../naming/functionName.js";
import { hclString } from "../render/escape.js";
import { catchExample, exampleDefinition, exampleInput, examplePlaceholder, pickOperations } from "./example.js";
import { stepFunctionsJson } from "./json.js";
import { httpTasksContribution } from "./http/contribution.js";
import { exampleWithHttp } from "./http/example.js";
import { taskState } from "./task.js";

export const TASKS_DIR = "stepfunctions";

/** Task states for every function, the module's outputs for them and, when asked for, the example workflow. */
export function stepFunctionsContribution(input: FeatureInput): ClientContribution {
  const named = [...(input.named ?? nameEndpoints(input.endpoints, input.namespace)).values()];
  if (!named.length) return {};
  const renders: RenderJob[] = named.map((n) => ({
    template: "stepfunctions/task.json.hbs",
    path: `${TASKS_DIR}/${n.functionName}.json`,
    data: { text: stepFunctionsJson(taskState(n, input.config.retry)) },
  }));
  renders.push(
    { template: "stepfunctions/catch.json.hbs", path: `${TASKS_DIR}/catch/http-errors.json`, data: { text: stepFunctionsJson(catchExample()) } },
    { template: "stepfunctions/stepfunctions.tf.hbs", path: "stepfunctions.tf", data: {} },
  );
  const notes: string[] = [];
  const http = input.config.stepFunctions.httpTasks ? httpTasksContribution(input, named) : undefined;
  if (input.config.stepFunctions.example) {
    const ops = pickOperations(named);
    const names = ops.map((n) => n.functionName);
    let definition = exampleDefinition(ops, input.config.retry);
    // With http_tasks, one step is an HTTP Task when one of the two has one.
    const httpStep = http ? exampleWithHttp(ops, definition, http.model) : undefined;
    if (httpStep) definition = httpStep.definition;
    const lambdaOps = ops.filter((_n, i) => i !== httpStep?.index);
    const placeholders = lambdaOps.map((n) => ({ name: examplePlaceholder(ops.indexOf(n)), value: `aws_lambda_function.this[${hclString(n.functionName)}].arn` }));
    if (httpStep) placeholders.push({ name: httpStep.placeholder, value: `aws_cloudwatch_event_connection.http_task[${httpStep.connection}].arn` });
    const width = Math.max(...placeholders.map((p) => p.name.length));
    const labels = names.map((name, i) => (i === httpStep?.index ? `${name} (HTTP Task)` : name));
    renders.push(
      { template: "stepfunctions/example.asl.json.hbs", path: `${TASKS_DIR}/example/definition.asl.json`, data: { text: stepFunctionsJson(definition) } },
      { template: "stepfunctions/example-input.json.hbs", path: `${TASKS_DIR}/example/input.json`, data: { text: stepFunctionsJson(exampleInput(ops)) } },
      {
        template: "stepfunctions/example.tf.hbs",
        path: "stepfunctions_example.tf",
        data: {
          summary: labels.join(" then "),
          functionKeys: lambdaOps.map((n) => hclString(n.functionName)).join(", "),
          // terraform fmt aligns the `=` of consecutive arguments.
          placeholders: placeholders.map((p) => ({ name: p.name.padEnd(width), value: p.value })),
          http: httpStep ? { statements: httpStep.statements } : undefined,
        },
      },
    );
    notes.push(`Step Functions example: ${labels.join(" then ")} (input: ${TASKS_DIR}/example/input.json)`);
  }
  if (http) {
    renders.push(...http.renders);
    notes.push(...http.notes);
  }
  return { renders, notes };
}
