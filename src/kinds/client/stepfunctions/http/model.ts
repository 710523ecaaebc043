/**
 * Everything `[stepfunctions] http_tasks = true` decides, as an IaC-neutral model: per endpoint
 * an HTTP Task (its state, its connection, its IAM patterns) or a Lambda client and why; the
 * connections; the policy. The Terraform and CDK emitters read only this.
 */
import type { PicofunConfig } from "../../../../config/types.js";
import { endpointKey, type ApiModel, type Endpoint } from "../../../../model/types.js";
import { resolveServerUrl } from "../../../../model/servers.js";
import type { NamedEndpoint } from "../../../../naming/functionName.js";
import type { HttpConnection, HttpTask, HttpTasksModel, StaysLambda } from "../../../../deployment/httpTasks.js";
import { connectionFor, connectionKey, endpointPatterns, NO_AUTH_KEY, policyStatements } from "./connections.js";
import { eligibility } from "./eligibility.js";
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

export function buildHttpTasks(model: ApiModel, named: NamedEndpoint[], config: PicofunConfig): HttpTasksModel {
  const urlOf = serverUrlOf(model, config);
  const tasks: HttpTask[] = [];
  const staysLambda: StaysLambda[] = [];
  const connections = new Map<string, HttpConnection>();
  const keys = new Set<string>([NO_AUTH_KEY]);
  const byScheme = new Map<string, string>();
  const byMethod = new Map<string, string[]>();
  const pieces: string[] = [];
  const lengths: number[] = [];
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
    lengths.push(pushHttpTaskText(pieces, n, serverUrl, body, config.retry));
    tasks.push({
      functionName: n.functionName,
      endpoint,
      method,
      connection: key,
      patterns,
      get state() {
        return httpTaskState(n, serverUrl, body, config.retry);
      },
      text: "",
    });
  }
  // Every file's text is a slice of one string: made at once (V8 puts a string this large
  // straight into the old generation), where a string each would be copied by every young-
  // generation collection they live through (GitHub's 1,221 files: 3 MB).
  const all = pieces.join("");
  let at = 0;
  for (let i = 0; i < tasks.length; i++) {
    tasks[i].text = all.slice(at, (at += lengths[i]));
  }
  const list = [...connections.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { tasks, connections: list, statements: tasks.length ? policyStatements(byMethod, list) : [], staysLambda };
}
