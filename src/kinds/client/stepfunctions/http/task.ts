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
import { Shared, Spliced, type Piece } from "../jsonPieces.js";
import type { BodyEncoding } from "./eligibility.js";
import { block, blockJson, blockPieces, headerValue, lit, pathCall, queryCall, styleOf } from "./jsonata.js";

/** The placeholder of every HTTP Task file: its connection's ARN. */
export const CONNECTION_PLACEHOLDER = "connection_arn";

/** The URL: server, path with each parameter encoded, then the query string. */
export function apiEndpoint(e: Endpoint, serverUrl: string): string {
  return new Spliced(apiEndpointPieces(e, serverUrl)).text();
}

/** The server URL without trailing slashes, by server URL (most endpoints share one). */
const SERVERS = new Map<string, string>();

/**
 * apiEndpoint in pieces: the literal parts of the URL and each path parameter's helper call
 * (`"https://h/items/"&$P("id")`), then `$Q(...)`, shared with every endpoint that has the same
 * query parameters.
 */
function apiEndpointPieces(e: Endpoint, serverUrl: string): Piece[] {
  const { text, query } = urlParts(e, serverUrl);
  return blockPieces([], [text, query]);
}

/** The JSON string of apiEndpoint(e, serverUrl), as stepFunctionsJson writes it. */
function apiEndpointJson(e: Endpoint, serverUrl: string): string {
  const { text, query } = urlParts(e, serverUrl);
  return blockJson(text, query);
}

/** A path parameter in braces. */
const PATH_PARAMETER = /\{([^}]*)\}/g;

/** The URL's own text (server and path, each path parameter's call, then `&`) and its shared query string. */
function urlParts(e: Endpoint, serverUrl: string): { text: string; query: Shared } {
  let literal = SERVERS.get(serverUrl);
  if (literal === undefined) SERVERS.set(serverUrl, (literal = serverUrl.replace(/\/+$/, "")));
  const parts: string[] = [];
  const params = e.parameters;
  const re = PATH_PARAMETER;
  re.lastIndex = 0;
  let pos = 0;
  for (let m = re.exec(e.path); m; m = re.exec(e.path)) {
    literal += e.path.slice(pos, m.index);
    if (literal) parts.push(lit(literal));
    literal = "";
    let p: Parameter | undefined;
    for (let i = 0; i < params.length && !p; i++) if (params[i].in === "path" && params[i].name === m[1]) p = params[i];
    parts.push(pathCall(p ?? { name: m[1], in: "path", required: true, allowReserved: false, deprecated: false }));
    pos = m.index + m[0].length;
  }
  literal += e.path.slice(pos);
  if (literal) parts.push(lit(literal));
  const queries = e.parameters.filter((p) => p.in === "query");
  return { text: `${parts.join("&")}&`, query: queryString(queries) };
}

/** queryString by the query parameters' names, styles and explode (GitHub's 1,221 endpoints have about a hundred such lists). */
const QUERY_STRINGS = new Map<string, Shared>();

/** `$Q([<each declared parameter's parts>],[<their names>])`: "" or `?` and the query string. */
function queryString(queries: Parameter[]): Shared {
  let key = "";
  for (let i = 0; i < queries.length; i++) {
    const { style, explode } = styleOf(queries[i]);
    // Each text with its length first, so no two lists have the same key.
    key += `${style.length}:${style}${explode ? 1 : 0}${queries[i].name.length}:${queries[i].name}`;
  }
  let shared = QUERY_STRINGS.get(key);
  if (shared === undefined) {
    const text = `$Q([${queries.map(queryCall).join(",")}],[${queries.map((p) => lit(p.name)).join(",")}])`;
    QUERY_STRINGS.set(key, (shared = new Shared(text)));
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
  // (Most endpoints have no header parameter: their key is the content type alone.)
  const key = declared.length ? JSON.stringify([declared.map((p) => [p.name, styleOf(p).explode]), e.requestBody?.contentType ?? null]) : (e.requestBody?.contentType ?? "");
  let shared = HEADERS.get(key);
  if (shared === undefined) HEADERS.set(key, (shared = new Shared(headersOf(declared, e.requestBody?.contentType))));
  return shared;
}

function headersOf(declared: Parameter[], contentType: string | undefined): string {
  const lower = declared.map((p) => lit(p.name.toLowerCase()));
  // $h: the event's headers when they are an object. picorun takes the first non-null value of
  // any case variant of a declared name ($c: that key).
  const parts = declared.map(
    (p, i) =>
      `($c:=[$each($h,function($w,$k){$lowercase($k)=${lower[i]} and $type($w)!='null'?$k:()})][0];$exists($c)?{${lit(p.name)}:${headerValue("$lookup($h,$c)", styleOf(p).explode)}}:())`,
  );
  const notDeclared = declared.length ? `$lowercase($k) in [${lower.join(",")}] or ` : "";
  parts.push(`$each($h,function($w,$k){${notDeclared}$type($w)='null'?():{$k:${headerValue("$w", false)}}})`);
  if (contentType !== undefined) parts.push(`'content-type' in $map($keys($h),$lowercase)?():{'Content-Type':${lit(contentType)}}`);
  return block(["$h:=$states.input.headers;$h:=$type($h)='object'?$h:{}"], `$merge([${parts.join(",")}])`);
}

/** The form body without null values (picorun leaves them out), values as text; arrays repeat the key. */
const FORM_BODY = new Shared(
  block([], "$p:=$states.input.payload;$type($p)='object'?$merge([$O($p,function($k,$v){{$k:$type($v)='array'?$I($v,$t):$t($v)}})]):$p"),
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

/** What every state's Comment says after the endpoint's own text (with and without a body). */
const COMMENT_TAILS = [false, true].map((body) => {
  const text =
    ` HTTP Task: input is the Lambda client's event {path, query, headers, payload}${body ? " (payload required)" : ""}; ` +
    "result {statusCode, headers, body}. Errors: States.Http.StatusCode.<status>, States.Http.Socket, States.Timeout (60 s).";
  // Its JSON without the opening quote: the endpoint's part is escaped on its own (the tail
  // starts with a space, so nothing is escaped differently across the two).
  return { text, json: escapeStepFunctionsString(text).slice(1) };
});

/** The endpoint's part of its state's Comment: method, path and summary on one line of at most 200 characters. */
function commentHead(e: Endpoint): string {
  const text = `${e.method.toUpperCase()} ${e.path}${e.summary ? `: ${e.summary}` : ""}`;
  // Runs of white space and controls as one space (only when there is a run that is not one space already).
  const head = (ODD_SPACE.test(text) ? text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, " ") : text).trim();
  // (A text of at most 200 UTF-16 units has at most 200 characters: only longer ones are counted.)
  return head.length > 200 && Array.from(head).length > 200 ? `${Array.from(head).slice(0, 197).join("")}...` : head;
}

function comment(n: NamedEndpoint): string {
  return commentHead(n.endpoint) + COMMENT_TAILS[n.endpoint.requestBody ? 1 : 0].text;
}

/** comment(n) as `escapeStepFunctionsString` writes it. */
function commentJson(n: NamedEndpoint): string {
  const head = escapeStepFunctionsString(commentHead(n.endpoint));
  return head.slice(0, -1) + COMMENT_TAILS[n.endpoint.requestBody ? 1 : 0].json;
}

/** A method's JSON string (a handful of methods). */
const METHOD_JSON = new Map<string, string>();

function methodJson(method: string): string {
  let json = METHOD_JSON.get(method);
  if (json === undefined) METHOD_JSON.set(method, (json = escapeStepFunctionsString(method.toUpperCase())));
  return json;
}

const OUTPUT = "{% {'statusCode':$states.result.StatusCode,'headers':$states.result.Headers,'body':$states.result.ResponseBody} %}";
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

/** The Task state, without Next/End and without Catch (see docs/stepfunctions.md). */
export function httpTaskState(n: NamedEndpoint, serverUrl: string, body: BodyEncoding | undefined, retry: RetryConfig): Record<string, unknown> {
  const e = n.endpoint;
  const args: Record<string, unknown> = {
    ApiEndpoint: apiEndpoint(e, serverUrl),
    Method: e.method.toUpperCase(),
    Authentication: { ConnectionArn: placeholder(CONNECTION_PLACEHOLDER) },
    Headers: headersShared(e).text,
  };
  if (body === "json") args.RequestBody = JSON_BODY;
  if (body === "form") {
    args.RequestBody = FORM_BODY.text;
    args.Transform = TRANSFORM;
  }
  const state: Record<string, unknown> = {
    Type: "Task",
    QueryLanguage: "JSONata",
    Comment: comment(n),
    Resource: "arn:aws:states:::http:invoke",
    Arguments: args,
    Output: OUTPUT,
  };
  const retriers = retriersFor(e.method, retry);
  if (retriers.length) state.Retry = retriers;
  return state;
}

/**
 * The text of the Task state's file, `stepFunctionsJson(httpTaskState(...))`, added to `out` in
 * pieces: written from the parts directly, with the shared JSONata (helpers, headers, query
 * parts) escaped once for all states (test/unit/http-task-text.test.ts checks it is the same
 * text on hostile specs). Returns the text's length. The caller joins the pieces of all states
 * at once: one large string that each file's text is a slice of, instead of a thousand
 * separate ones for the young generation to copy (see model.ts).
 */
export function pushHttpTaskText(out: string[], n: NamedEndpoint, serverUrl: string, body: BodyEncoding | undefined, retry: RetryConfig): number {
  const e = n.endpoint;
  const start = out.length;
  out.push(
    '{\n  "Type": "Task",\n  "QueryLanguage": "JSONata",\n  "Comment": ',
    commentJson(n),
    ',\n  "Resource": "arn:aws:states:::http:invoke",\n  "Arguments": {\n    "ApiEndpoint": ',
  );
  out.push(apiEndpointJson(e, serverUrl), ',\n    "Method": ', methodJson(e.method), METHOD_TO_HEADERS, headersShared(e).json, '"');
  if (body === "json") out.push(',\n    "RequestBody": ', JSON_BODY_JSON);
  if (body === "form") out.push(',\n    "RequestBody": "', FORM_BODY.json, '",\n    "Transform": ', nestedText(TRANSFORM, "    "));
  out.push('\n  },\n  "Output": ', OUTPUT_JSON);
  const retriers = retriersFor(e.method, retry);
  if (retriers.length) out.push(',\n  "Retry": ', nestedText(retriers, "  "));
  out.push("\n}\n");
  let length = 0;
  for (let i = start; i < out.length; i++) length += out[i].length;
  return length;
}

/** Between the method and the Headers' JSONata. */
const METHOD_TO_HEADERS = `,\n    "Authentication": {\n      "ConnectionArn": "\${${CONNECTION_PLACEHOLDER}}"\n    },\n    "Headers": "`;

/** The Task state and its file's text, each made on its own way (tests compare the two). */
export function httpTask(n: NamedEndpoint, serverUrl: string, body: BodyEncoding | undefined, retry: RetryConfig): { state: Record<string, unknown>; text: string } {
  const out: string[] = [];
  pushHttpTaskText(out, n, serverUrl, body, retry);
  return { state: httpTaskState(n, serverUrl, body, retry), text: out.join("") };
}
