import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import jsonata from "jsonata";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { buildModel } from "../../src/model/build.js";
import type { Endpoint, Parameter } from "../../src/model/types.js";
import { nameEndpoints } from "../../src/naming/functionName.js";
import type { LoadedSpec } from "../../src/spec/load.js";
import { buildHttpTasks } from "../../src/kinds/client/stepfunctions/http/model.js";
import { httpTaskState } from "../../src/kinds/client/stepfunctions/http/task.js";
import { fillPlaceholders, stepFunctionsJson } from "../../src/kinds/client/stepfunctions/json.js";
import { aslErrors, oneStateMachine } from "../support/asl.js";
import { REPO } from "../support/env.js";
import { describeRequest, httpTaskSchemaErrors } from "../support/httpTask.js";
import { runPython } from "../support/python.js";

const RETRY = { maxAttempts: 3, statuses: [408, 429, 500, 502, 503, 504], methods: ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"], base: 0.5, cap: 10 };
const ARN = "arn:aws:events:eu-west-1:123456789012:connection/shop-no-auth/0b1c";

function project(spec: string, toml: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "picofun-http-"));
  writeFileSync(join(dir, "picofun.toml"), [`spec = "${spec}"`, 'namespace = "t"', ...toml, "[stepfunctions]", "http_tasks = true"].join("\n"));
  const config = loadConfig({}, dir);
  const doc = yaml.load(readFileSync(spec, "utf8")) as Record<string, unknown>;
  const loaded: LoadedSpec = { doc, source: { location: spec, isUrl: false, text: "", bytes: new Uint8Array() }, version: "3.0", warnings: [] };
  const model = buildModel(loaded);
  return { config, model, named: [...nameEndpoints(model.endpoints, "t").values()] };
}

describe("which endpoints stay Lambda clients, and why", () => {
  it("one reason each, for a spec with one endpoint per reason", () => {
    const p = project(join(REPO, "test", "fixtures", "http-tasks-reasons.yaml"), ["[pagination]", 'cursor_param = "cursor"', 'cursor_field = "next"']);
    const m = buildHttpTasks(p.model, p.named, p.config);
    expect(m.tasks.map((t) => t.endpoint)).toEqual(["GET /fine", "GET /query-auth"]);
    const reasons = Object.fromEntries(m.staysLambda.map((s) => [s.endpoint, s.reason]));
    expect(reasons).toEqual({
      "GET /and-auth": expect.stringMatching(/^AND-combined security/),
      "GET /cookie-auth": expect.stringMatching(/^API key in a cookie/),
      "GET /cookie-param": expect.stringMatching(/^cookie parameter pref/),
      "GET /digest": expect.stringMatching(/^security picofun cannot apply \(digest/),
      "GET /etag": expect.stringMatching(/^header If-Match/),
      "GET /label/{id}": "path parameter id has style label",
      "GET /mtls": expect.stringMatching(/^mutual TLS/),
      "GET /pages": expect.stringMatching(/^pagination/),
      "GET /plain": "server http://plain.example.com is not HTTPS",
      "GET /reserved": "query parameter url has allowReserved",
      "GET /user-token": expect.stringMatching(/^OAuth2 authorizationCode \(a person's token\)/),
      "POST /text": expect.stringMatching(/^request body text\/plain/),
      "POST /upload": expect.stringMatching(/^request body multipart\/form-data/),
    });
  });

  it("pre/postprocessor hooks keep every endpoint a Lambda client", () => {
    const p = project(join(REPO, "test", "fixtures", "http-tasks.yaml"), ['postprocessor = "hooks.post"']);
    const m = buildHttpTasks(p.model, p.named, p.config);
    expect(m.tasks).toEqual([]);
    expect(new Set(m.staysLambda.map((s) => s.reason))).toEqual(new Set(["pre/postprocessor hooks run in the Lambda client"]));
  });
});

describe("connections and policy", () => {
  const p = project(join(REPO, "test", "fixtures", "http-tasks.yaml"));
  const m = buildHttpTasks(p.model, p.named, p.config);

  it("one connection per scheme (API key in a header or the query, Basic, OAuth2 client credentials with the spec's token URL and scopes) and one for no security", () => {
    expect(m.connections.map((c) => [c.key, c.authorizationType, c.functions])).toEqual([
      ["auth-apiKey", "API_KEY", ["t_get_items_itemId_parts_partIds"]],
      ["auth-basic", "BASIC", ["t_post_items"]],
      ["auth-oauth", "OAUTH_CLIENT_CREDENTIALS", ["t_put_items_itemId_form"]],
      ["auth-queryKey", "API_KEY", ["t_get_search"]],
      ["no-auth", "API_KEY", ["t_get_open"]],
    ]);
    expect(m.connections[0].apiKey).toEqual({ header: "X-Api-Key", placeholder: "REPLACE_ME" });
    expect(m.connections[2].oauth).toEqual({ tokenUrl: "https://auth.example.com/oauth/token", scopes: ["items:write"] });
    // An API key in the query is a secret query parameter of the connection.
    expect(m.connections[3]).toMatchObject({ apiKey: { header: "X-Picofun-No-Auth" }, queryKey: { name: "api_key", placeholder: "REPLACE_ME" } });
  });

  it("the policy's resources are exactly these endpoints (URL and method) and connections", () => {
    const invoke = m.statements.filter((s) => s.actions.includes("states:InvokeHTTPEndpoint"));
    expect(invoke.map((s) => s.conditions)).toEqual([
      { StringEquals: { "states:HTTPMethod": ["GET"] }, StringLike: { "states:HTTPEndpoint": ["https://api.example.com/v1/items/*/parts/*", "https://api.example.com/v1/open", "https://api.example.com/v1/open?*", "https://api.example.com/v1/search", "https://api.example.com/v1/search?*"] } },
      { StringEquals: { "states:HTTPMethod": ["POST"] }, StringLike: { "states:HTTPEndpoint": ["https://api.example.com/v1/items", "https://api.example.com/v1/items?*"] } },
      { StringEquals: { "states:HTTPMethod": ["PUT"] }, StringLike: { "states:HTTPEndpoint": ["https://api.example.com/v1/items/*/form", "https://api.example.com/v1/items/*/form?*"] } },
    ]);
    const keys = m.connections.map((c) => c.key);
    expect(m.statements.find((s) => s.actions.includes("events:RetrieveConnectionCredentials"))?.resources).toEqual(keys.map((k) => ({ connectionArn: k })));
    expect(m.statements.find((s) => s.actions.includes("secretsmanager:GetSecretValue"))).toMatchObject({
      actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      resources: keys.map((k) => ({ connectionSecretArn: k })),
    });
    expect(m.statements.length).toBe(5);
  });

  it("asl-validator accepts every HTTP Task state, and each has only the documented Arguments", () => {
    for (const t of m.tasks) {
      const state = fillPlaceholders(stepFunctionsJson(t.state), { connection_arn: ARN }) as Record<string, unknown>;
      expect(aslErrors(oneStateMachine("Call", state)), t.functionName).toBe("");
      expect(httpTaskSchemaErrors(state), t.functionName).toBe("");
    }
    // The check can fail: a JSONPath field in a JSONata state, an unknown argument.
    const bad = { ...m.tasks[0].state, Parameters: {}, Arguments: { ...(m.tasks[0].state.Arguments as object), Query: "x" } };
    expect(httpTaskSchemaErrors(bad)).toMatch(/Parameters.*unknown argument Query/);
  });

  it("retries what the Lambda client retries: every retried status and socket errors for idempotent methods, 429/503 for the others", () => {
    const get = m.tasks.find((t) => t.method === "GET")!.state.Retry as Array<Record<string, unknown>>;
    expect(get).toEqual([
      {
        ErrorEquals: [...RETRY.statuses.map((s) => `States.Http.StatusCode.${s}`), "States.Http.Socket"],
        IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: "FULL",
      },
    ]);
    const post = m.tasks.find((t) => t.method === "POST")!.state.Retry as Array<{ ErrorEquals: string[] }>;
    expect(post[0].ErrorEquals).toEqual(["States.Http.StatusCode.429", "States.Http.StatusCode.503"]);
  });
});

/** Names a spec may hold that must not break the JSONata: quotes, braces, `$`, backticks, `%}`, backslashes, non-ASCII. */
const hostileName = fc.string({
  unit: fc.oneof(fc.constantFrom(..."'\"`$%}{\\.[]()*!&=? #;:@é\u{1f600}"), fc.constantFrom("a", "B", "_", "-")),
  minLength: 1,
  maxLength: 10,
});

describe("hostile spec text never breaks the JSONata (property-based)", () => {
  it("every expression parses, the file is JSON with one placeholder, and it evaluates to the request picorun builds", async () => {
    const seed = Date.now();
    const samples = fc.sample(
      fc.record({
        pathName: hostileName.filter((n) => !/[{}]/.test(n)),
        queryName: hostileName,
        // A header name outside Latin-1 keeps the endpoint a Lambda client (which refuses it too).
        headerName: hostileName.filter((n) => !/^(content-type)$/i.test(n) && /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(n)),
        style: fc.constantFrom("form", "pipeDelimited", "spaceDelimited", "deepObject"),
        explode: fc.boolean(),
        summary: hostileName,
        pathExplode: fc.boolean(),
        // picorun refuses an empty path value ("", [] or {}).
        pathValue: fc.oneof(hostileName, fc.array(hostileName, { minLength: 1, maxLength: 3 }), fc.dictionary(hostileName, hostileName, { minKeys: 1, maxKeys: 2 })),
        queryValue: fc.oneof(hostileName, fc.array(hostileName, { maxLength: 3 }), fc.dictionary(hostileName, hostileName, { maxKeys: 2 })),
        headerValue: fc.stringMatching(/^[!-~]{1,8}$/),
        body: fc.option(fc.dictionary(hostileName, hostileName, { maxKeys: 2 }), { nil: undefined }),
      }),
      { numRuns: 80, seed },
    );
    const failures: string[] = [];
    const calls: unknown[] = [];
    const described: Array<Awaited<ReturnType<typeof describeRequest>>> = [];
    for (const s of samples) {
      const parameters: Parameter[] = [
        { name: s.pathName, in: "path", required: true, allowReserved: false, deprecated: false, explode: s.pathExplode },
        { name: s.queryName, in: "query", required: false, allowReserved: false, deprecated: false, style: s.style, explode: s.explode },
        { name: s.headerName, in: "header", required: false, allowReserved: false, deprecated: false },
      ];
      const e: Endpoint = {
        method: s.body ? "post" : "get",
        path: `/a/{${s.pathName}}/b`,
        summary: s.summary,
        tags: [],
        deprecated: false,
        parameters,
        responses: [],
        requestBody: s.body ? { contentType: "application/json", contentTypes: ["application/json"], required: true } : undefined,
      };
      const text = stepFunctionsJson(httpTaskState({ endpoint: e, functionName: "t_f", module: "f" } as never, "https://h.example/v1", s.body ? "json" : undefined, RETRY));
      if (text.replace('"${connection_arn}"', "").match(/\$\{|%\{/)) failures.push(`template syntax besides the placeholder: ${JSON.stringify(s)}`);
      const state = fillPlaceholders(text, { connection_arn: ARN }) as { Arguments: Record<string, unknown> };
      for (const v of Object.values(state.Arguments)) {
        if (typeof v === "string" && v.startsWith("{%")) jsonata(v.slice(2, -2));
      }
      const event = { path: { [s.pathName]: s.pathValue }, query: { [s.queryName]: s.queryValue }, headers: { [s.headerName]: s.headerValue }, payload: s.body };
      described.push(await describeRequest(state, event));
      calls.push({
        endpoint: {
          method: e.method,
          path: e.path,
          server_url: "https://h.example/v1",
          parameters: parameters.map((p) => ({ name: p.name, in: p.in, required: p.required, style: p.style, explode: p.explode })),
          body_content_type: e.requestBody?.contentType,
          body_required: !!e.requestBody,
        },
        event,
      });
    }
    const res = await runPython([join(REPO, "test", "support", "http_task_client.py")], JSON.stringify({ layer: join(REPO, "templates", "client", "layer"), calls }));
    expect(res.code, res.stderr).toBe(0);
    const built = JSON.parse(res.stdout.trim().split("\n").pop()!) as Array<{ ok: boolean; url: string; headers: Record<string, string>; body: string | null; message?: string }>;
    for (const [i, b] of built.entries()) {
      const d = described[i];
      const where = JSON.stringify(samples[i]);
      if (!b.ok) failures.push(`picorun refused ${where}: ${b.message}`);
      else if (d.url !== b.url) failures.push(`${where}: url ${d.url} != ${b.url}`);
      else if (JSON.stringify(d.headers) !== JSON.stringify(b.headers)) failures.push(`${where}: headers ${JSON.stringify(d.headers)} != ${JSON.stringify(b.headers)}`);
      else if (JSON.stringify(d.body ?? null) !== JSON.stringify(b.body === null ? null : JSON.parse(b.body))) failures.push(`${where}: body`);
    }
    expect(failures, `seed ${seed}`).toEqual([]);
  }, 120_000);
});
