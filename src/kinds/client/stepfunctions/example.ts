import type { NamedEndpoint } from "../../../naming/functionName.js";
import { httpErrorCatch, readErrorStates } from "./errors.js";
import { placeholder } from "./json.js";
import type { RuntimeRetry } from "./retry.js";
import { payloadSkeleton, taskState } from "./task.js";
import { setOwn } from "../../../util/ownKey.js";

/** The catch-all states of the example and of catch/http-errors.json. */
export const READ_ERROR = "ReadHttpError";
export const READ_DETAIL = "ReadErrorDetail";

/** What Catch/States a user merges into a machine to read an HTTP error's detail. */
export function catchExample(): Record<string, unknown> {
  return {
    Comment:
      "Add Catch to a task state and these States to its state machine. Step Functions matches error names exactly, so every Http{status}Error is listed.",
    Catch: [httpErrorCatch(READ_ERROR)],
    States: readErrorStates(READ_ERROR, READ_DETAIL, { End: true }),
  };
}

function requiredCount(n: NamedEndpoint): number {
  return payloadSkeleton(n.endpoint).required.length;
}

/**
 * Two operations for the example: a GET needing nothing (a listing, say) first, then another
 * GET (a detail), falling back to the first operations in name order. Fewer than two: as many as there are.
 */
export function pickOperations(named: NamedEndpoint[]): NamedEndpoint[] {
  const sorted = [...named].sort((a, b) => (a.functionName < b.functionName ? -1 : 1));
  const gets = sorted.filter((n) => n.endpoint.method === "get");
  const first = gets.find((n) => requiredCount(n) === 0) ?? gets[0] ?? sorted[0];
  if (!first) return [];
  const rest = sorted.filter((n) => n !== first);
  const second = rest.find((n) => n.endpoint.method === "get" && requiredCount(n) > 0) ?? rest.find((n) => n.endpoint.method === "get") ?? rest[0];
  return second ? [first, second] : [first];
}

export const STEP_KEYS = ["first", "second"];

/** Placeholder of the example's n-th function (`first_function_arn`, `second_function_arn`). */
export function examplePlaceholder(index: number): string {
  return `${STEP_KEYS[index]}_function_arn`;
}

/**
 * The example state machine: each operation reads its event from `$.first` / `$.second` of the
 * execution input and adds its result as `$.first_result` / `$.second_result`; any HTTP error
 * goes to two Pass states that decode its detail.
 */
export function exampleDefinition(ops: NamedEndpoint[], runtime: RuntimeRetry): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  ops.forEach((n, i) => {
    const task = taskState(n, runtime);
    const params = task.Parameters as Record<string, unknown>;
    states[n.functionName] = {
      ...task,
      Parameters: { ...params, FunctionName: placeholder(examplePlaceholder(i)) },
      InputPath: `$.${STEP_KEYS[i]}`,
      ResultPath: `$.${STEP_KEYS[i]}_result`,
      OutputPath: "$",
      Catch: [httpErrorCatch(READ_ERROR)],
      ...(i + 1 < ops.length ? { Next: ops[i + 1].functionName } : { End: true }),
    };
  });
  Object.assign(states, readErrorStates(READ_ERROR, READ_DETAIL, { End: true }));
  return {
    Comment: `picofun example: ${ops.map((n) => n.functionName).join(" then ")}`,
    StartAt: ops[0].functionName,
    States: states,
  };
}

/** An execution input for the example: each required parameter as a value to replace. */
export function exampleInput(ops: NamedEndpoint[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  ops.forEach((n, i) => {
    const event: Record<string, Record<string, unknown> | unknown> = {};
    for (const label of payloadSkeleton(n.endpoint).required) {
      if (label === "payload") {
        event.payload = {};
        continue;
      }
      const dot = label.indexOf(".");
      const section = label.slice(0, dot);
      const name = label.slice(dot + 1);
      const target = (event[section] ??= {}) as Record<string, unknown>;
      setOwn(target, name, "REPLACE_ME");
    }
    input[STEP_KEYS[i]] = event;
  });
  return input;
}
