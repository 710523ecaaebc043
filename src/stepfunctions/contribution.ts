import type { ClientContribution, FeatureInput } from "../features/types.js";
import type { RenderJob } from "../plan/types.js";
import { nameEndpoints } from "../naming/functionName.js";
import { hclString } from "../render/escape.js";
import { catchExample, exampleDefinition, exampleInput, examplePlaceholder, pickOperations } from "./example.js";
import { stepFunctionsJson } from "./json.js";
import { httpTasksContribution } from "./http/contribution.js";
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
  if (input.config.stepFunctions.example) {
    const ops = pickOperations(named);
    const names = ops.map((n) => n.functionName);
    const width = Math.max(...ops.map((_n, i) => examplePlaceholder(i).length));
    renders.push(
      { template: "stepfunctions/example.asl.json.hbs", path: `${TASKS_DIR}/example/definition.asl.json`, data: { text: stepFunctionsJson(exampleDefinition(ops, input.config.retry)) } },
      { template: "stepfunctions/example-input.json.hbs", path: `${TASKS_DIR}/example/input.json`, data: { text: stepFunctionsJson(exampleInput(ops)) } },
      {
        template: "stepfunctions/example.tf.hbs",
        path: "stepfunctions_example.tf",
        data: {
          summary: names.join(" then "),
          functionKeys: names.map(hclString).join(", "),
          // terraform fmt aligns the `=` of consecutive arguments.
          placeholders: ops.map((n, i) => ({ name: examplePlaceholder(i).padEnd(width), key: hclString(n.functionName) })),
        },
      },
    );
    notes.push(`Step Functions example: ${names.join(" then ")} (input: ${TASKS_DIR}/example/input.json)`);
  }
  if (input.config.stepFunctions.httpTasks) {
    const http = httpTasksContribution(input, named);
    renders.push(...http.renders);
    notes.push(...http.notes);
  }
  return { renders, notes };
}
