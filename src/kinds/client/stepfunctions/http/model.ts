/**
 * Everything `[stepfunctions] http_tasks = true` decides, as an IaC-neutral model: per endpoint
 * an HTTP Task (its state, its connection, its IAM patterns) or a Lambda client and why; the
 * connections; the policy. The Terraform and CDK emitters read only this.
 */
import type { PicofunConfig, RetryConfig } from "../../../../config/types.js";
import { endpointKey, type ApiModel, type Endpoint } from "../../../../model/types.js";
import { resolveServerUrl } from "../../../../model/servers.js";
import type { NamedEndpoint } from "../../../../naming/functionName.js";
import type { HttpConnection, HttpTask, HttpTasksModel, StaysLambda } from "../../../../deployment/httpTasks.js";
import { connectionFor, connectionKey, endpointPatterns, NO_AUTH_KEY, policyStatements } from "./connections.js";
import { eligibility, type BodyEncoding } from "./eligibility.js";
import { httpTaskState, pushHttpTaskText } from "./task.js";

/** Each endpoint's server URL, resolved as the client plan resolves it (an unresolvable one: undefined). */
export function serverUrlOf(model: ApiModel, config: PicofunConfig): (e: Endpoint) => string | undefined {
  const inputs = { overrideUrl: config.server.url, variables: config.server.variables, specLocation: model.location, specIsUrl: model.locationIsUrl };
  let base: string | undefined;
  const documentBase = () => (base ??= resolveServerUrl(model.servers, inputs));
  return (e) => {
    try {
      return config.server.url === undefined && e.servers?.length
        ? resolveServerUrl(e.servers, { ...inputs, documentBase }, `${model.location} (${endpointKey(e)})`)
        : documentBase();
    } catch {
      return undefined;
    }
  };
}

/** Characters of HTTP Task text joined at once (over V8's 128 KB for a regular object). */
const CHUNK = 256 * 1024;

/** An HTTP Task of the model, whose state is made when read (only the example workflow and tests read it). */
class PlannedTask implements HttpTask {
  readonly functionName: string;
  text = "";
  constructor(
    private readonly named: NamedEndpoint,
    readonly endpoint: string,
    readonly method: string,
    readonly connection: string,
    readonly patterns: string[],
    private readonly serverUrl: string,
    private readonly body: BodyEncoding | undefined,
    private readonly retry: RetryConfig,
  ) {
    this.functionName = named.functionName;
  }

  get state(): Record<string, unknown> {
    return httpTaskState(this.named, this.serverUrl, this.body, this.retry);
  }
}

export function buildHttpTasks(model: ApiModel, named: NamedEndpoint[], config: PicofunConfig): HttpTasksModel {
  const urlOf = serverUrlOf(model, config);
  const tasks: HttpTask[] = [];
  const staysLambda: StaysLambda[] = [];
  const connections = new Map<string, HttpConnection>();
  const keys = new Set<string>([NO_AUTH_KEY]);
  const byScheme = new Map<string, string>();
  const byMethod = new Map<string, string[]>();
  // The files' texts are slices of strings of about CHUNK characters each, joined from the
  // pieces of the tasks since the last one: one large string goes straight to V8's large
  // object space, where a thousand small ones would be copied by each young-generation
  // collection they live through (GitHub's 1,221 files: 3 MB).
  const pieces: string[] = [];
  const lengths: number[] = [];
  let first = 0;
  let chunk = 0;
  const flush = () => {
    const all = pieces.join("");
    let at = 0;
    for (let i = first; i < tasks.length; i++) tasks[i].text = all.slice(at, (at += lengths[i - first]));
    pieces.length = 0;
    lengths.length = 0;
    first = tasks.length;
    chunk = 0;
  };
  for (const n of named) {
    const e = n.endpoint;
    const url = urlOf(e);
    const verdict = url === undefined ? ({ kind: "lambda", reason: "no server URL" } as const) : eligibility(model, e, url, config);
    const endpoint = endpointKey(e);
    if (verdict.kind === "lambda") {
      staysLambda.push({ functionName: n.functionName, endpoint, reason: verdict.reason });
      continue;
    }
    const schemeName = verdict.scheme?.name;
    let key = schemeName === undefined ? NO_AUTH_KEY : byScheme.get(schemeName);
    if (key === undefined) {
      key = connectionKey(schemeName!, keys);
      byScheme.set(schemeName!, key);
    }
    const connection = connections.get(key) ?? connectionFor(key, verdict.scheme, []);
    connections.set(key, connection);
    connection.functions.push(n.functionName);
    if (connection.oauth) connection.oauth.scopes = [...new Set([...connection.oauth.scopes, ...verdict.scopes])].sort();
    const method = e.method.toUpperCase();
    const patterns = endpointPatterns(verdict.serverUrl, e.path);
    const urls = byMethod.get(method);
    if (urls) urls.push(...patterns);
    else byMethod.set(method, [...patterns]);
    const { serverUrl, body } = verdict;
    const length = pushHttpTaskText(pieces, n, serverUrl, body, config.retry);
    lengths.push(length);
    tasks.push(new PlannedTask(n, endpoint, method, key, patterns, serverUrl, body, config.retry));
    if ((chunk += length) >= CHUNK) flush();
  }
  flush();
  const list = [...connections.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { tasks, connections: list, statements: tasks.length ? policyStatements(byMethod, list) : [], staysLambda };
}
