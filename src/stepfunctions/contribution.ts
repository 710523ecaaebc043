import type { ClientContribution, FeatureInput } from "../kinds/client/featureTypes.js";
import type { RenderJob } from "../deployment/files.js";
import { nameEndpoints } from "../naming/functionName.js";
import { catchExample, exampleDefinition, exampleInput, examplePlaceholder, pickOperations } from "./example.js";
import { stepFunctionsJson } from "./json.js";
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
  );
  const notes: string[] = [];
  if (input.config.stepFunctions.example) {
    const ops = pickOperations(named);
    const names = ops.map((n) => n.functionName);
    renders.push(
      { template: "stepfunctions/example.asl.json.hbs", path: `${TASKS_DIR}/example/definition.asl.json`, data: { text: stepFunctionsJson(exampleDefinition(ops, input.config.retry)) } },
      { template: "stepfunctions/example-input.json.hbs", path: `${TASKS_DIR}/example/input.json`, data: { text: stepFunctionsJson(exampleInput(ops)) } },
    );
    notes.push(`Step Functions example: ${names.join(" then ")} (input: ${TASKS_DIR}/example/input.json)`);
    return { renders, notes, stepFunctions: { example: { functions: names, placeholders: ops.map((_n, i) => examplePlaceholder(i)) } } };
  }
  return { renders, notes, stepFunctions: {} };
}
