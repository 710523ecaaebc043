import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO } from "./env.js";
import { runPython } from "./python.js";

/** An API Gateway REST (v1) Lambda proxy event, as the service sends it. */
export function proxyEvent(options: {
  method: string;
  resource: string;
  path: string;
  pathParameters?: Record<string, string> | null;
  query?: Record<string, string[]>;
  headers?: Record<string, string>;
  body?: string | null;
  isBase64Encoded?: boolean;
}): Record<string, unknown> {
  const query = options.query ?? {};
  const headers = options.headers ?? {};
  const hasQuery = Object.keys(query).length > 0;
  return {
    resource: options.resource,
    path: options.path,
    httpMethod: options.method,
    headers: { Host: "abc123defg.execute-api.eu-west-1.amazonaws.com", "User-Agent": "test", ...headers },
    multiValueHeaders: Object.fromEntries(Object.entries({ Host: "abc123defg.execute-api.eu-west-1.amazonaws.com", ...headers }).map(([k, v]) => [k, [v]])),
    queryStringParameters: hasQuery ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v[v.length - 1]])) : null,
    multiValueQueryStringParameters: hasQuery ? query : null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    requestContext: {
      resourcePath: options.resource,
      httpMethod: options.method,
      path: `/v1${options.path}`,
      stage: "v1",
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      accountId: "123456789012",
      apiId: "abc123defg",
      identity: { sourceIp: "203.0.113.7", userAgent: "test" },
      protocol: "HTTP/1.1",
      requestTimeEpoch: 1700000000000,
    },
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

/** Calls `handler(event, context)` of a Python stub in `dir` (module = file stem). */
export async function invokePythonStub(dir: string, module: string, event: unknown): Promise<unknown> {
  const request = { layer: dir, lambdas: dir, module, event };
  const { code, stdout, stderr } = await runPython([join(REPO, "test", "support", "invoke.py")], JSON.stringify(request));
  if (code !== 0) throw new Error(`python exited ${code}: ${stderr}`);
  const outcome = JSON.parse(stdout.trim().split("\n").pop() ?? "") as { ok: boolean; result?: unknown; message?: string };
  if (!outcome.ok) throw new Error(`handler raised: ${outcome.message}`);
  return outcome.result;
}

/** Imports an ES module stub with node and awaits `handler(event, context)`. */
export function invokeNodeStub(file: string, event: unknown): Promise<unknown> {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(file).href)});
const chunks = []; for await (const c of process.stdin) chunks.push(c);
const event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
process.stdout.write(JSON.stringify(await m.handler(event, { functionName: "test", awsRequestId: "1" })));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`node exited ${code}: ${err}`))));
    child.stdin.end(JSON.stringify(event));
  });
}

/** Checks the shape API Gateway needs back from a proxy integration (else it answers 502). */
export function proxyResponseProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (!value || typeof value !== "object") return ["not an object"];
  const r = value as Record<string, unknown>;
  if (!Number.isInteger(r.statusCode) || (r.statusCode as number) < 100 || (r.statusCode as number) > 599) problems.push("statusCode is not an HTTP status");
  if (r.body !== undefined && typeof r.body !== "string") problems.push("body is not a string");
  if (r.headers !== undefined && (typeof r.headers !== "object" || Object.values(r.headers as object).some((v) => typeof v !== "string"))) problems.push("headers are not strings");
  const allowed = new Set(["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]);
  for (const k of Object.keys(r)) if (!allowed.has(k)) problems.push(`unexpected key ${k}`);
  return problems;
}
