/**
 * The deployment model: everything a generation deploys, built once by its kind and read by every
 * IaC emitter (src/iac/terraform/, src/iac/cdk/). It names no IaC: values are plain (never HCL or
 * TypeScript literals), references between resources are neutral (`EnvValue` refs, the API
 * definition's integration and authorizer lists), and notes name the deploy step by `NoteRef`.
 */
import type { FilePlan } from "./files.js";
import type { ModuleOutput } from "./outputs.js";
import type { RolePolicy } from "./role.js";
import type { HttpTasksModel, PolicyStatement } from "./httpTasks.js";

/** From this many functions on, one shared log group is the default (about half the resources to plan). */
export const SHARED_LOG_GROUP_FROM = 200;

/** A resource value an emitter spells its own way (a Terraform expression, a CDK token). */
export type DeployRef = "credentialsTtl" | "credentialsPrefix" | "credentialsKeyArn";

/** An environment variable's value: a plain string, or a value only known at deploy time. */
export type EnvValue = { literal: string } | { ref: DeployRef };

/** Words of an end-of-run note that depend on the IaC: the deploy command, the credentials key's id. */
export type NoteRef = "deployCommand" | "credentialsKeyId";

/** An end-of-run note: text, or text with IaC-dependent parts. */
export type Note = string | Array<string | { ref: NoteRef }>;

/** One Lambda function. */
export interface DeployedFunction {
  /** The generated name (`{namespace}_{suffix}`), the key of every resource of the function. */
  name: string;
  /** The name after the namespace (deployed as `{namespace}_{module}`). */
  module: string;
  /** `module.handler` (api kind; the client kind's handler is the module's `handler`). */
  handler?: string;
  /** The function's zip, output-relative. */
  zip: string;
  description: string;
  /** api kind: the operation (or `authorizer:{scheme}`) it serves. */
  operationId?: string;
  /** api kind, operations: the method and path its invoke permission is scoped to. */
  permission?: { method: string; path: string };
}

/** What every function shares: runtime, sizes, layers, tracing, logs, network, tags. */
export interface FunctionSettings {
  runtime: string;
  architecture: string;
  timeout: number;
  memorySize: number;
  layers: string[];
  /** Client kind: add the Powertools layer of the region. */
  powertoolsLayer?: boolean;
  xrayTracing: boolean;
  /** Log groups: retention, and one shared group instead of one per function. */
  logRetentionDays: number;
  sharedLogGroup: boolean;
  vpcId: string | null;
  subnets: string[];
  /** Client kind: the API's ports the functions' security group lets out. */
  egressPorts?: number[];
  /** The user's tags (emitters add `generated_by`). */
  tags: Record<string, string>;
  /** Client kind: environment of every function. */
  environment: Record<string, EnvValue>;
}

/** The functions' role: its name, boundary, and exact policies (src/deployment/role.ts). */
export interface RoleSettings {
  namePrefix: string;
  permissionsBoundary: string | null;
  /** api kind: an existing role used instead (the role and its policies are then not made). */
  existingRoleArn?: string | null;
  /** In order; a policy whose resources are the credentials is rendered beside the credential stores. */
  policies: RolePolicy[];
}

/** Client kind: where the API credentials live (SSM parameters or Secrets Manager secrets) and how they are read. */
export interface CredentialStores {
  store: "ssm" | "secretsmanager";
  /** Name prefix without the namespace (`/picorun`). */
  prefix: string;
  /** `credentials-<type>` of each store. */
  types: string[];
  /** Types whose rotated refresh tokens the functions write back (encrypted with the module's key). */
  writeBackTypes: string[];
  /** The value stored until the user puts the real credentials. */
  placeholder: string;
}

/** The example state machine ([stepfunctions] example). */
export interface ExampleWorkflow {
  /** Output-relative path of its definition (Amazon States Language, with the placeholders below). */
  definition: string;
  /** Its steps, in order, as the summary names them. */
  labels: string[];
  /** The Lambda steps' functions, and the definition's placeholder for each one's ARN (the emitter substitutes them). */
  functions: string[];
  placeholders: string[];
  /** The step that is an HTTP Task: the placeholder of its connection's ARN, the connection, its role's statements. */
  http?: { placeholder: string; connection: string; statements: PolicyStatement[] };
}

/**
 * One Task state file: a Lambda Task that invokes the function, or an HTTP Task that calls its
 * endpoint through an EventBridge connection. The JSON is in `files`; its one placeholder is the
 * ARN the emitter fills in (`function_arn` of the function, `connection_arn` of the connection).
 */
export interface StepFunctionsTask {
  /** The function it stands for; outputs key the task by the function's deployed name. */
  function: string;
  kind: "lambda" | "http";
  /** Output-relative path of the Task state's JSON. */
  path: string;
  placeholder: "function_arn" | "connection_arn";
  /** http: the key of its connection (`stepFunctions.http.connections`). */
  connection?: string;
}

/** Client kind: one Step Functions Task state per function, HTTP Tasks, and the example workflow. */
export interface StepFunctionsModel {
  /** Every Task state file, Lambda Tasks first, each group in function order. */
  tasks: StepFunctionsTask[];
  example?: ExampleWorkflow;
  /** [stepfunctions] http_tasks: the HTTP Tasks, their EventBridge connections and the policy statements (neutral references). */
  http?: HttpTasksModel;
}

/** api kind: the REST API. */
export interface ApiGateway {
  title: string;
  /**
   * The definition API Gateway imports, plain JSON. The integrations and authorizer URIs picofun
   * wires are not in it: `integrations` and `authorizers` name them, each emitter fills them in.
   */
  definition: Record<string, unknown>;
  integrations: Array<{ path: string; method: string; function: string }>;
  authorizers: Array<{ scheme: string; function: string }>;
  /** The Lambda authorizers' functions. */
  authorizerFunctions: DeployedFunction[];
  /** Usage plan and API key: some operation needs the key. */
  apiKeyRequired: boolean;
  stage: { name: string; mode: string; basePath: string; failOnWarnings: boolean };
  cognitoUserPools: string[];
  /** The resource path prefix API Gateway gives the definition's paths, per basePath mode. */
  resourcePrefixes: Record<string, string>;
  /** An existing REST API to adopt. */
  apiId?: string;
}

export interface DeploymentModel {
  kind: "client" | "api";
  namespace: string;
  /** The spec's title (the stack's description, the construct's comment). */
  title: string;
  functions: DeployedFunction[];
  settings: FunctionSettings;
  role: RoleSettings;
  /** Client kind: credentials TTL in seconds (a construct prop even without credentials). */
  credentialsTtlSeconds?: number;
  credentials?: CredentialStores;
  stepFunctions?: StepFunctionsModel;
  api?: ApiGateway;
  /** What the deployment gives back, in order (names are a public interface). */
  outputs: ModuleOutput[];
  /** The files of the deployment that are no IaC: handlers, layer, zips, Task states, user-owned stubs. */
  files: FilePlan;
  notes: Note[];
}
