/** The Terraform emitter of the HTTP Tasks model: HCL literals and expressions for stepfunctions_http.tf. */
import { hclString } from "../../render/escape.js";
import { CREDENTIAL_PLACEHOLDER, type HttpTasksModel, type PolicyResource, type PolicyStatement } from "../../deployment/httpTasks.js";

const CONNECTIONS = "aws_cloudwatch_event_connection.http_task";

function resource(r: PolicyResource): string {
  if ("literal" in r) return hclString(r.literal);
  if ("connectionArn" in r) return `${CONNECTIONS}[${hclString(r.connectionArn)}].arn`;
  return `${CONNECTIONS}[${hclString(r.connectionSecretArn)}].secret_arn`;
}

function list(values: string[]): string {
  return `[${values.join(", ")}]`;
}

/** One statement as an HCL object expression (for jsonencode). */
export function statementHcl(s: PolicyStatement): string {
  const parts = [`Sid = ${hclString(s.sid)}`, `Effect = "Allow"`, `Action = ${list(s.actions.map(hclString))}`, `Resource = ${list(s.resources.map(resource))}`];
  if (s.conditions) {
    const ops = Object.entries(s.conditions).map(
      ([op, keys]) => `${op} = { ${Object.entries(keys).map(([k, v]) => `${hclString(k)} = ${list(v.map(hclString))}`).join(", ")} }`,
    );
    parts.push(`Condition = { ${ops.join(", ")} }`);
  }
  return `{ ${parts.join(", ")} }`;
}

export function httpTasksTerraformData(m: HttpTasksModel) {
  const connections = m.connections.map((c) => ({
    key: hclString(c.key),
    type: hclString(c.authorizationType),
    description: hclString(c.description),
    apiKeyName: hclString(c.apiKey?.header ?? ""),
    apiKeyValue: hclString(c.apiKey?.placeholder ?? ""),
    tokenUrl: hclString(c.oauth?.tokenUrl ?? ""),
    scope: hclString(c.oauth?.scopes.join(" ") ?? ""),
    queryKeyName: hclString(c.queryKey?.name ?? ""),
  }));
  return {
    connections,
    placeholder: hclString(CREDENTIAL_PLACEHOLDER),
  };
}
