import type { ClientContribution, FeatureInput } from "../featureTypes.js";
import type { RenderJob } from "../../../deployment/files.js";
import type { ExampleWorkflow, StepFunctionsTask } from "../../../deployment/model.js";
import { nameEndpoints } from "../../../naming/functionName.js";
import { catchExample, exampleDefinition, exampleInput, examplePlaceholder, pickOperations } from "./example.js";
import { stepFunctionsJson } from "./json.js";
import { httpTasksContribution } from "./http/contribution.js";
import { exampleWithHttp } from "./http/example.js";
import { taskState } from "./task.js";

export const TASKS_DIR = "stepfunctions";

/** Task states for every function, the model's Step Functions part and, when asked for, the example workflow. */
export function stepFunctionsContribution(input: FeatureInput): ClientContribution {
  const named = [...(input.named ?? nameEndpoints(input.endpoints, input.namespace)).values()];
  if (!named.length) return {};
  const tasks: StepFunctionsTask[] = named.map((n) => ({ function: n.functionName, kind: "lambda", path: `${TASKS_DIR}/${n.functionName}.json`, placeholder: "function_arn" }));
  const renders: RenderJob[] = named.map((n, i) => ({
    template: "stepfunctions/task.json.hbs",
    path: tasks[i].path,
    data: { text: stepFunctionsJson(taskState(n, input.config.retry)) },
  }));
  renders.push({ template: "stepfunctions/catch.json.hbs", path: `${TASKS_DIR}/catch/http-errors.json`, data: { text: stepFunctionsJson(catchExample()) } });
  const notes: string[] = [];
  const http = input.config.stepFunctions.httpTasks ? httpTasksContribution(input, named) : undefined;
  let example: ExampleWorkflow | undefined;
  if (input.config.stepFunctions.example) {
    const ops = pickOperations(named);
    const names = ops.map((n) => n.functionName);
    let definition = exampleDefinition(ops, input.config.retry);
    // With http_tasks, one step is an HTTP Task when one of the two has one.
    const httpStep = http ? exampleWithHttp(ops, definition, http.model) : undefined;
    if (httpStep) definition = httpStep.definition;
    const lambdaOps = ops.filter((_n, i) => i !== httpStep?.index);
    const labels = names.map((name, i) => (i === httpStep?.index ? `${name} (HTTP Task)` : name));
    example = {
      definition: `${TASKS_DIR}/example/definition.asl.json`,
      labels,
      functions: lambdaOps.map((n) => n.functionName),
      placeholders: lambdaOps.map((n) => examplePlaceholder(ops.indexOf(n))),
      http: httpStep ? { placeholder: httpStep.placeholder, connection: httpStep.connection, statements: httpStep.statements } : undefined,
    };
    renders.push(
      { template: "stepfunctions/example.asl.json.hbs", path: example.definition, data: { text: stepFunctionsJson(definition) } },
      { template: "stepfunctions/example-input.json.hbs", path: `${TASKS_DIR}/example/input.json`, data: { text: stepFunctionsJson(exampleInput(ops)) } },
    );
    notes.push(`Step Functions example: ${labels.join(" then ")} (input: ${TASKS_DIR}/example/input.json)`);
  }
  if (http) {
    tasks.push(...http.tasks);
    renders.push(...http.renders);
    notes.push(...http.notes);
  }
  return { renders, notes, stepFunctions: { tasks, example, http: http?.model } };
}
