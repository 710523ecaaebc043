import type { Endpoint, Parameter, ParameterLocation } from "../../../model/types.js";
import type { NamedEndpoint } from "../../../naming/functionName.js";
import { placeholder } from "./json.js";
import { retriers, type RuntimeRetry } from "./retry.js";
import { setOwn } from "../../../util/ownKey.js";

/** The placeholder every task file has for its function: filled by templatefile and by the CDK construct. */
export const FUNCTION_PLACEHOLDER = "function_arn";

/** The handler event's key for each parameter location (picorun's `{path, query, headers, cookies, payload}`). */
const EVENT_KEY: Record<ParameterLocation, string> = { path: "path", query: "query", header: "headers", cookie: "cookies" };
const LOCATION_ORDER: ParameterLocation[] = ["path", "query", "header", "cookie"];

/** A JSONPath to `name` below `$.section`, or undefined when no path expression can hold the name safely. */
export function inputPath(section: string, name: string): string | undefined {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `$.${section}.${name}`;
  // Quotes, backslashes and control characters have no portable escape in a JSONPath.
  if (!name || /['\\\u0000-\u001f\u007f]/.test(name)) return undefined;
  return `$.${section}['${name}']`;
}

interface Skeleton {
  payload: Record<string, unknown>;
  required: string[];
  optional: string[];
  unwired: string[];
}

/**
 * The `Payload` skeleton: the handler event with every declared parameter named. A required one
 * is read from the same place in the state's input (`"orderId.$": "$.path.orderId"`); an
 * optional one is `null`, which the runtime does not send, until you wire it. A name that ends
 * in `.$` cannot be a literal key in `Parameters` and is left out (listed in the Comment).
 */
export function payloadSkeleton(e: Endpoint): Skeleton {
  const payload: Record<string, unknown> = {};
  const out: Skeleton = { payload, required: [], optional: [], unwired: [] };
  const byLocation = new Map<ParameterLocation, Parameter[]>();
  for (const p of e.parameters) byLocation.set(p.in, [...(byLocation.get(p.in) ?? []), p]);
  for (const location of LOCATION_ORDER) {
    const params = byLocation.get(location);
    if (!params?.length) continue;
    const key = EVENT_KEY[location];
    const section: Record<string, unknown> = {};
    for (const p of params) {
      const label = `${key}.${p.name}`;
      const required = p.required || location === "path";
      const path = required ? inputPath(key, p.name) : undefined;
      if (path) {
        section[`${p.name}.$`] = path;
        out.required.push(label);
      } else if (p.name.endsWith(".$")) {
        out.unwired.push(label);
      } else {
        setOwn(section, p.name, null);
        (required ? out.unwired : out.optional).push(label);
      }
    }
    payload[key] = section;
  }
  if (e.requestBody) {
    if (e.requestBody.required) {
      payload["payload.$"] = "$.payload";
      out.required.push("payload");
    } else {
      payload.payload = null;
      out.optional.push("payload");
    }
  }
  return out;
}

function comment(n: NamedEndpoint, s: Skeleton): string {
  const e = n.endpoint;
  const head = `${e.method.toUpperCase()} ${e.path}${e.summary ? `: ${e.summary}` : ""}`.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, " ");
  // Code points, not UTF-16 units, are counted; there are never more of them than units.
  const cut = head.length > 200 && Array.from(head).length > 200 ? `${Array.from(head).slice(0, 197).join("")}...` : head.trim();
  const parts = [/[.!?]$/.test(cut) ? cut : `${cut}.`];
  parts.push(s.required.length ? `Required (read from the state input): ${s.required.join(", ")}.` : "No required parameters.");
  if (s.optional.length) parts.push(`Optional (null is not sent; wire them with "name.$"): ${s.optional.join(", ")}.`);
  if (s.unwired.length) parts.push(`Required but not expressible as a JSONPath, set them yourself: ${s.unwired.join(", ")}.`);
  parts.push("Result: the function's {statusCode, headers, body}. Errors: HttpError / Http{status}Error, ApiConnectionError, ApiTimeoutError.");
  return parts.join(" ");
}

/**
 * The Task state of one function, without `Next`/`End` (the state machine decides) and without
 * a `Catch` (its `Next` must name one of your states; see stepfunctions/catch/http-errors.json).
 * JSONPath fields throughout: see docs/stepfunctions.md for why not JSONata.
 */
export function taskState(n: NamedEndpoint, runtime: RuntimeRetry): Record<string, unknown> {
  const skeleton = payloadSkeleton(n.endpoint);
  return {
    Type: "Task",
    Comment: comment(n, skeleton),
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: placeholder(FUNCTION_PLACEHOLDER), Payload: skeleton.payload },
    // Lambda's envelope (ExecutedVersion, SdkHttpMetadata...) is dropped before it counts
    // against the 256 KiB state limit; the state's output is the function's result.
    ResultSelector: { "result.$": "$.Payload" },
    OutputPath: "$.result",
    Retry: retriers(n.endpoint.method, runtime),
  };
}
