/**
 * The example workflow with one step as an HTTP Task ([stepfunctions] example and http_tasks):
 * the step reads the same event from the execution input and adds its result the same way as
 * the Lambda steps; an error goes to a state of its own (an HTTP Task's error is not picorun's).
 */
import { placeholder } from "../json.js";
import { STEP_KEYS } from "../example.js";
import type { NamedEndpoint } from "../../../../naming/functionName.js";
import type { HttpConnection, HttpTask, HttpTasksModel, PolicyStatement } from "../../../../deployment/httpTasks.js";
import { policyStatements } from "./connections.js";
import { CONNECTION_PLACEHOLDER } from "./task.js";

export const READ_HTTP_TASK_ERROR = "ReadHttpTaskError";

/** Placeholder of the example step's connection (`second_connection_arn`). */
export function exampleConnectionPlaceholder(index: number): string {
  return `${STEP_KEYS[index]}_${CONNECTION_PLACEHOLDER}`;
}

/** The example definition with its `index`-th step (the function `task` is for) as an HTTP Task. */
export function withHttpStep(definition: Record<string, unknown>, index: number, task: HttpTask): Record<string, unknown> {
  const step = STEP_KEYS[index];
  const states = { ...(definition.States as Record<string, Record<string, unknown>>) };
  const lambda = states[task.functionName];
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(task.state.Arguments as Record<string, unknown>)) {
    // The step's event is `$.<step>` of the execution input, as for the Lambda steps' InputPath.
    if (typeof v === "string") args[k] = v.replaceAll("$states.input", `$states.input.${step}`);
    else if (k === "Authentication") args[k] = { ConnectionArn: placeholder(exampleConnectionPlaceholder(index)) };
    else args[k] = v;
  }
  states[task.functionName] = {
    ...task.state,
    Arguments: args,
    Output: `{% $merge([$states.input, {'${step}_result': {'statusCode': $states.result.StatusCode, 'headers': $states.result.Headers, 'body': $states.result.ResponseBody}}]) %}`,
    Catch: [{ ErrorEquals: ["States.ALL"], Output: "{% $merge([$states.input, {'error': $states.errorOutput}]) %}", Next: READ_HTTP_TASK_ERROR }],
    ...("Next" in lambda ? { Next: lambda.Next } : { End: true }),
  };
  states[READ_HTTP_TASK_ERROR] = {
    Type: "Pass",
    QueryLanguage: "JSONata",
    Comment: "An HTTP Task's error: Error is States.Http.StatusCode.<status>, States.Http.Socket or States.Timeout; Cause says more",
    Output: "{% {'error': $states.input.error.Error, 'cause': $states.input.error.Cause} %}",
    End: true,
  };
  return { ...definition, States: states };
}

/** What the example's role needs for its HTTP step: that endpoint and method, that connection. */
export function exampleHttpStatements(task: HttpTask, connection: HttpConnection): PolicyStatement[] {
  return policyStatements(new Map([[task.method, task.patterns]]), [connection]);
}

/**
 * The example with an HTTP Task for one step when one of its operations has one (the second
 * preferred): the definition, the index of that step, the Terraform data for its connection and policy.
 */
export function exampleWithHttp(ops: NamedEndpoint[], definition: Record<string, unknown>, m: HttpTasksModel) {
  // One step stays a Lambda client, so the example still shows both kinds (and its invoke policy is never empty).
  if (ops.length < 2) return undefined;
  const tasks = new Map(m.tasks.map((t) => [t.functionName, t]));
  const index = [1, 0].find((i) => i < ops.length && tasks.has(ops[i].functionName));
  if (index === undefined) return undefined;
  const task = tasks.get(ops[index].functionName)!;
  const connection = m.connections.find((c) => c.key === task.connection)!;
  return {
    index,
    definition: withHttpStep(definition, index, task),
    placeholder: exampleConnectionPlaceholder(index),
    connection: connection.key,
    statements: exampleHttpStatements(task, connection),
  };
}
