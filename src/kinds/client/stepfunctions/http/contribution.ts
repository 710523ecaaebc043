/** `[stepfunctions] http_tasks = true`: the HTTP Task files, their model (each IaC emitter writes its part) and the summary lines. */
import type { FeatureInput } from "../../featureTypes.js";
import type { NamedEndpoint } from "../../../../naming/functionName.js";
import type { RenderJob } from "../../../../deployment/files.js";
import type { StepFunctionsTask } from "../../../../deployment/model.js";
import type { HttpTasksModel } from "../../../../deployment/httpTasks.js";
import { buildHttpTasks } from "./model.js";

export const HTTP_TASKS_DIR = "stepfunctions/http";

export function httpTasksContribution(
  input: FeatureInput,
  named: NamedEndpoint[],
): { renders: RenderJob[]; notes: string[]; model: HttpTasksModel; tasks: StepFunctionsTask[] } {
  const m = buildHttpTasks(input.model, named, input.config);
  const tasks: StepFunctionsTask[] = m.tasks.map((t) => ({
    function: t.functionName,
    kind: "http",
    path: `${HTTP_TASKS_DIR}/${t.functionName}.json`,
    placeholder: "connection_arn",
    connection: t.connection,
  }));
  const renders: RenderJob[] = m.tasks.map((t, i) => ({
    template: "stepfunctions/task.json.hbs",
    path: tasks[i].path,
    data: { text: t.text },
  }));
  const notes = [`HTTP Tasks: ${m.tasks.length} of ${named.length} endpoints (${HTTP_TASKS_DIR}/), ${m.staysLambda.length} stay Lambda clients${m.staysLambda.length ? ":" : ""}`];
  for (const s of m.staysLambda) notes.push(`  ${s.endpoint} (${s.functionName}): ${s.reason}`);
  if (m.connections.length) {
    notes.push(
      `HTTP Task connections hold a placeholder credential: set each once with aws events update-connection --name ${input.namespace}-<key> (keys: ${m.connections.map((c) => c.key).join(", ")}; see docs/stepfunctions.md)`,
    );
  }
  return { renders, notes, model: m, tasks };
}
