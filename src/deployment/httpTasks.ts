/**
 * The IaC-neutral model of HTTP Tasks ([stepfunctions] http_tasks): the Task states by function,
 * the EventBridge connections they authenticate through, and the policy statements a state
 * machine's role needs, with neutral references to the connections. The client kind builds it
 * (src/kinds/client/stepfunctions/http/); the Terraform and CDK emitters only translate it.
 */

/** What picofun puts where the credential goes; `aws events update-connection` replaces it once. */
export const CREDENTIAL_PLACEHOLDER = "REPLACE_ME";

export type AuthorizationType = "API_KEY" | "BASIC" | "OAUTH_CLIENT_CREDENTIALS";

export interface HttpConnection {
  /** Key of the connection (resource key; the deployed name is `{namespace}-{key}`). */
  key: string;
  /** The security scheme it stands for; undefined for the endpoints without security. */
  scheme?: string;
  authorizationType: AuthorizationType;
  /** API_KEY: the header the key goes in, and the placeholder value (Bearer tokens keep their prefix). */
  apiKey?: { header: string; placeholder: string };
  /** An API key in the query: a secret query parameter the connection adds to every request (its API key header is then the no-auth one). */
  queryKey?: { name: string; placeholder: string };
  /** OAUTH_CLIENT_CREDENTIALS: the token endpoint and the scopes the endpoints ask for (space-separated in the token request). */
  oauth?: { tokenUrl: string; scopes: string[] };
  description: string;
  /** The functions whose HTTP Task uses it. */
  functions: string[];
}

/** A resource of a policy statement: a literal ARN pattern or one of the connections' ARNs. */
export type PolicyResource = { literal: string } | { connectionArn: string } | { connectionSecretArn: string };

export interface PolicyStatement {
  sid: string;
  actions: string[];
  resources: PolicyResource[];
  /** IAM conditions: operator -> key -> values. */
  conditions?: Record<string, Record<string, string[]>>;
}

export interface HttpTask {
  functionName: string;
  endpoint: string;
  method: string;
  /** Key of its connection. */
  connection: string;
  /** Its `states:HTTPEndpoint` patterns (the policy's). */
  patterns: string[];
  /** The Task state, with the `${connection_arn}` placeholder (made when read: only the example workflow and tests need it). */
  readonly state: Record<string, unknown>;
  /** Its file's text (`stepFunctionsJson(state)`). */
  text: string;
}

export interface StaysLambda {
  functionName: string;
  endpoint: string;
  reason: string;
}

export interface HttpTasksModel {
  tasks: HttpTask[];
  connections: HttpConnection[];
  statements: PolicyStatement[];
  staysLambda: StaysLambda[];
}
