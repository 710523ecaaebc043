/**
 * The HTTP Task state of one endpoint (`QueryLanguage: "JSONata"`): it takes the Lambda client's
 * event (`{path, query, headers, payload}`) as its input and sends the request picorun would.
 * The query string is built into `ApiEndpoint` (not `QueryParameters`), so every OpenAPI style
 * is serialised exactly as the Lambda client serialises it.
 */
import type { RetryConfig } from "../../../../config/types.js";
import type { Endpoint, Parameter } from "../../../../model/types.js";
import type { NamedEndpoint } from "../../../../naming/functionName.js";
import { escapeStepFunctionsString, placeholder, stepFunctionsJson } from "../json.js";
import { pushSplicedJson, Shared, Spliced, type Piece } from "../jsonPieces.js";
import type { BodyEncoding } from "./eligibility.js";
import { block, blockPieces, headerValue, lit, pathValueShared, queryPartsShared, styleOf } from "./jsonata.js";

/** The placeholder of every HTTP Task file: its connection's ARN. */
export const CONNECTION_PLACEHOLDER = "connection_arn";

/** The URL: server, path with each parameter encoded, then the query string. */
export function apiEndpoint(e: Endpoint, serverUrl: string): string {
  return new Spliced(apiEndpointPieces(e, serverUrl)).text();
}

/** `$url := "<server>"` by server URL (most endpoints share one). */
const SERVERS = new Map<string, string>();

/** apiEndpoint in pieces: the helpers and each parameter's part are shared with every other endpoint that has them. */
function apiEndpointPieces(e: Endpoint, serverUrl: string): Piece[] {
  let server = SERVERS.get(serverUrl);
  if (server === undefined) SERVERS.set(serverUrl, (server = `$url := ${lit(serverUrl.replace(/\/+$/, ""))}`));
  const url: Piece[] = [server];
  const declared = new Map<string, Parameter>();
  for (let i = 0; i < e.parameters.length; i++) if (e.parameters[i].in === "path") declared.set(e.parameters[i].name, e.parameters[i]);
  const re = /\{([^}]*)\}/g;
  let pos = 0;
  for (let m = re.exec(e.path); m; m = re.exec(e.path)) {
    if (m.index > pos) url.push(" & ", lit(e.path.slice(pos, m.index)));
    const p = declared.get(m[1]) ?? { name: m[1], in: "path" as const, required: true, allowReserved: false, deprecated: false };
    url.push(` & ($v := $lookup($states.input.path, ${lit(m[1])}); `, pathValueShared(p), ")");
    pos = m.index + m[0].length;
  }
  if (pos < e.path.length) url.push(" & ", lit(e.path.slice(pos)));
  const queries = e.parameters.filter((p) => p.in === "query");
  return blockPieces([url, [queryBinding(queries)]], [URL_BODY]);
}

const URL_BODY = new Shared("$qs = '' ? $url : $url & '?' & $qs");

/** queryBinding by the query parameters' names, styles and explode (GitHub's 1,221 endpoints have about a hundred such lists). */
const QUERY_BINDINGS = new Map<string, Shared>();

/** `$qs := ...`: the query string from every declared query parameter's parts, then the undeclared ones. */
function queryBinding(queries: Parameter[]): Shared {
  let key = "";
  for (let i = 0; i < queries.length; i++) {
    const { style, explode } = styleOf(queries[i]);
    // Each text with its length first, so no two lists have the same key.
    key += `${style.length}:${style}${explode ? 1 : 0}${queries[i].name.length}:${queries[i].name}`;
  }
  let shared = QUERY_BINDINGS.get(key);
  if (shared === undefined) {
    // $append($append([], first), second)...
    let all = "[]";
    for (const p of queries) all = `$append(${all}, ($v := $lookup($states.input.query, ${lit(p.name)}); ${queryPartsShared(p).text}))`;
    all = `$append(${all}, $undeclared($states.input.query, [${queries.map((p) => lit(p.name)).join(", ")}]))`;
    QUERY_BINDINGS.set(key, (shared = new Shared(`$qs := $join($list(${all}), '&')`)));
  }
  return shared;
}

/** headers() by what it depends on: most endpoints share one of a few (GitHub's: no header parameter, a JSON body or none). */
const HEADERS = new Map<string, Shared>();

/** The headers: declared ones (any case in the event), then the event's others, then Content-Type for a body. */
export function headers(e: Endpoint): string {
  return headersShared(e).text;
}

function headersShared(e: Endpoint): Shared {
  const declared = e.parameters.filter((p) => p.in === "header");
  const key = JSON.stringify([declared.map((p) => [p.name, styleOf(p).explode]), e.requestBody?.contentType ?? null]);
  let shared = HEADERS.get(key);
  if (shared === undefined) HEADERS.set(key, (shared = new Shared(headersOf(declared, e.requestBody?.contentType))));
  return shared;
}

function headersOf(declared: Parameter[], contentType: string | undefined): string {
  const lower = declared.map((p) => lit(p.name.toLowerCase()));
  const pieces = declared.map((p) => {
    // picorun takes the first non-null value of any case variant of the name.
    const value = `$first := $filter($append([], $map($filter($append([], $keys($h)), function($k) { $lowercase($k) = ${lit(p.name.toLowerCase())} }), function($k) { {'v': $lookup($h, $k)} })), function($x) { $type($lookup($x, 'v')) != 'null' })`;
    return `($hv := (${value}; $count($first) = 0 ? null : $lookup($first[0], 'v')); $type($hv) = 'null' ? {} : {${lit(p.name)}: ($v := $hv; ${headerValue(styleOf(p).explode)})})`;
  });
  const others = `$merge($append([{}], $map($filter($append([], $keys($h)), function($k) { $not($lowercase($k) in [${lower.join(", ")}]) and $type($lookup($h, $k)) != 'null' }), function($k) { {$k: ($v := $lookup($h, $k); ${headerValue(false)})} })))`;
  const withType =
    contentType !== undefined
      ? `$count($filter($append([], $keys($h)), function($k) { $lowercase($k) = 'content-type' })) > 0 ? {} : {'Content-Type': ${lit(contentType)}}`
      : "{}";
  const body = `$merge([${[...pieces, others, `(${withType})`].join(", ")}])`;
  return block(["$h := $exists($states.input.headers) ? $states.input.headers : {}"], body);
}

/** The form body without null values (picorun leaves them out), values as text; arrays repeat the key. */
const FORM_BODY = new Shared(
  block(
    [],
    "$p := $states.input.payload; $type($p) = 'object' ? $merge($append([{}], $map($pairs($p), function($x) { {$lookup($x, 'k'): ($v := $lookup($x, 'v'); $type($v) = 'array' ? $map($items($v), $t) : $t($v))} }))) : $p",
  ),
);

/** httpRetriers per retry config and method (states share them: nothing changes a state once built). */
const RETRIERS = new WeakMap<RetryConfig, Map<string, Array<Record<string, unknown>>>>();

function retriersFor(method: string, retry: RetryConfig): Array<Record<string, unknown>> {
  let byMethod = RETRIERS.get(retry);
  if (!byMethod) RETRIERS.set(retry, (byMethod = new Map()));
  let out = byMethod.get(method);
  if (!out) byMethod.set(method, (out = httpRetriers(method, retry)));
  return out;
}

/** What the Lambda client retries, with no retries inside the task: so Step Functions does all of them. */
export function httpRetriers(method: string, retry: RetryConfig): Array<Record<string, unknown>> {
  const idempotent = retry.methods.some((m) => m.toLowerCase() === method.toLowerCase());
  const statuses = idempotent ? retry.statuses : retry.statuses.filter((s) => s === 429 || s === 503);
  const errors = [...statuses.map((s) => `States.Http.StatusCode.${s}`), ...(idempotent ? ["States.Http.Socket"] : [])];
  if (!errors.length) return [];
  return [
    {
      ErrorEquals: errors,
      IntervalSeconds: Math.max(1, Math.ceil(retry.base)),
      MaxAttempts: Math.max(0, retry.maxAttempts - 1),
      BackoffRate: 2,
      MaxDelaySeconds: Math.max(1, Math.ceil(retry.cap)),
      JitterStrategy: "FULL",
    },
  ];
}

/** White space other than a single space, or a control. */
const ODD_SPACE = /[^\S ]| {2}|[\u0000-\u001f\u007f-\u009f]/;

function comment(n: NamedEndpoint): string {
  const e = n.endpoint;
  const text = `${e.method.toUpperCase()} ${e.path}${e.summary ? `: ${e.summary}` : ""}`;
  // Runs of white space and controls as one space (only when there is a run that is not one space already).
  const head = (ODD_SPACE.test(text) ? text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, " ") : text).trim();
  // (A text of at most 200 UTF-16 units has at most 200 characters: only longer ones are counted.)
  const cut = head.length > 200 && Array.from(head).length > 200 ? `${Array.from(head).slice(0, 197).join("")}...` : head;
  return (
    `${cut} HTTP Task: input is the Lambda client's event {path, query, headers, payload}` +
    `${e.requestBody ? " (payload required)" : ""}; result {statusCode, headers, body}. ` +
    "Errors: States.Http.StatusCode.<status>, States.Http.Socket, States.Timeout (60 s)."
  );
}

/** The Task state, without Next/End and without Catch (see docs/stepfunctions.md). */
export function httpTaskState(n: NamedEndpoint, serverUrl: string, body: BodyEncoding | undefined, retry: RetryConfig): Record<string, unknown> {
  return httpTask(n, serverUrl, body, retry).state;
}

const OUTPUT = "{% {'statusCode': $states.result.StatusCode, 'headers': $states.result.Headers, 'body': $states.result.ResponseBody} %}";
const JSON_BODY = "{% $states.input.payload %}";
const OUTPUT_JSON = escapeStepFunctionsString(OUTPUT);
const JSON_BODY_JSON = escapeStepFunctionsString(JSON_BODY);
const TRANSFORM = { RequestBodyEncoding: "URL_ENCODED", RequestEncodingOptions: { ArrayFormat: "REPEAT" } };

/** The text of a value shared by many states (Retry, Transform) at the depth it has in the file, made once. */
const NESTED_TEXT = new WeakMap<object, string>();

function nestedText(value: object, indent: string): string {
  let text = NESTED_TEXT.get(value);
  if (text === undefined) NESTED_TEXT.set(value, (text = stepFunctionsJson(value).trimEnd().replace(/\n/g, `\n${indent}`)));
  return text;
}

/**
 * The Task state and its file's text: `stepFunctionsJson(state)`, written from the parts
 * directly, with the shared JSONata (helpers, headers, query parts) escaped once for all states
 * (test/unit/http-task-text.test.ts checks it is the same text on hostile specs).
 */
export function httpTask(n: NamedEndpoint, serverUrl: string, body: BodyEncoding | undefined, retry: RetryConfig): { state: Record<string, unknown>; text: string } {
  const e = n.endpoint;
  const api = new Spliced(apiEndpointPieces(e, serverUrl));
  const head = headersShared(e);
  const method = e.method.toUpperCase();
  const args: Record<string, unknown> = {
    ApiEndpoint: api.text(),
    Method: method,
    Authentication: { ConnectionArn: placeholder(CONNECTION_PLACEHOLDER) },
    Headers: head.text,
  };
  const about = comment(n);
  // The file's text in parts, joined once at the end.
  const text = [
    `{\n  "Type": "Task",\n  "QueryLanguage": "JSONata",\n  "Comment": ${escapeStepFunctionsString(about)},\n  "Resource": "arn:aws:states:::http:invoke",\n  "Arguments": {\n    "ApiEndpoint": `,
  ];
  pushSplicedJson(text, api);
  text.push(`,\n    "Method": ${escapeStepFunctionsString(method)},\n    "Authentication": {\n      "ConnectionArn": "\${${CONNECTION_PLACEHOLDER}}"\n    },\n    "Headers": "`, head.json, '"');
  if (body === "json") {
    args.RequestBody = JSON_BODY;
    text.push(',\n    "RequestBody": ', JSON_BODY_JSON);
  }
  if (body === "form") {
    args.RequestBody = FORM_BODY.text;
    args.Transform = TRANSFORM;
    text.push(',\n    "RequestBody": "', FORM_BODY.json, '",\n    "Transform": ', nestedText(TRANSFORM, "    "));
  }
  const state: Record<string, unknown> = {
    Type: "Task",
    QueryLanguage: "JSONata",
    Comment: about,
    Resource: "arn:aws:states:::http:invoke",
    Arguments: args,
    Output: OUTPUT,
  };
  text.push('\n  },\n  "Output": ', OUTPUT_JSON);
  const retriers = retriersFor(e.method, retry);
  if (retriers.length) {
    state.Retry = retriers;
    text.push(',\n  "Retry": ', nestedText(retriers, "  "));
  }
  text.push("\n}\n");
  return { state, text: text.join("") };
}
