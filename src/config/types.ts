export type Kind = "client" | "api";
export type Iac = "terraform" | "cdk";
export type Architecture = "arm64" | "x86_64";

export interface AuthConfig {
  enabled: boolean;
  ttlMinutes: number;
  /** Where the credentials live. */
  store: "ssm" | "secretsmanager";
  /** Names are `{parameterPrefix}/{namespace}/credentials-{type}`. */
  parameterPrefix: string;
}

export interface ServerConfig {
  url?: string;
  variables?: Record<string, string>;
}

export interface ApiConfig {
  mode: "merge" | "overwrite";
  basePath: "ignore" | "prepend" | "split";
  stage: string;
  executionRoleArn?: string;
  apiId?: string;
  updateSpec: boolean;
  failOnWarnings: boolean;
  /** `[api] language`: typed handlers (glue and models generated, src/handlers/); undefined: single-file stubs. */
  language?: "python" | "typescript";
  cognitoUserPools: string[];
  allowUnenforcedSecurity: boolean;
  /** `[api] public_operations`: selectors of operations meant to be open (no security in the spec). */
  publicOperations: string[];
  /** --strict: an operation left open without a word is an error. */
  strict: boolean;
  /** `[api.cors]`; undefined: no CORS. */
  cors?: { origins: string[]; methods?: string[]; headers?: string[]; maxAge?: number };
}

/** `[retry]`: what client functions retry (defaults filled in). */
export interface RetryConfig {
  maxAttempts: number;
  statuses: number[];
  methods: string[];
  base: number;
  cap: number;
}

/** `[pagination]`: how client functions follow pages. */
export interface PaginationConfig {
  maxPages: number;
  cursorParam?: string;
  cursorField?: string;
  itemsField?: string;
}

/** The settings picofun works from, after defaults, CLI overrides and path resolution. */
export interface PicofunConfig {
  /** Folder relative paths are resolved against (the config file's folder, or cwd). */
  baseDir: string;
  /** Absolute path of the config file that was read, when there was one. */
  configFile?: string;
  namespace?: string;
  spec?: string;
  kind: Kind;
  /** What output/ holds besides the code: a Terraform module or a TypeScript CDK app. */
  iac: Iac;
  runtime: string;
  architecture: Architecture;
  timeout: number;
  memorySize: number;
  bundle?: string;
  iamRolePrefix: string;
  includeEndpoints?: string;
  layers: string[];
  outputDir: string;
  handlersDir: string;
  postprocessor?: string;
  preprocessor?: string;
  rolePermissionsBoundary?: string;
  subnets: string[];
  templatePath?: string;
  xrayTracing: boolean;
  vpcId?: string;
  powertoolsLayer: boolean;
  logRetentionDays: number;
  auth: AuthConfig;
  server: ServerConfig;
  retry: RetryConfig;
  pagination: PaginationConfig;
  /** Largest client function result in bytes; 0: no limit. */
  maxResponseBytes: number;
  tags: Record<string, string>;
  api: ApiConfig;
  stepFunctions: StepFunctionsConfig;
}

export interface StepFunctionsConfig {
  /** Write the example state machine (`[stepfunctions] example`). */
  example: boolean;
  /** Also write HTTP Task states and their connections (`[stepfunctions] http_tasks`). */
  httpTasks: boolean;
}

/** Flags given on the command line; each one, when present, wins over the file. */
export interface CliOverrides {
  config?: string;
  outputDir?: string;
  layers?: string;
  bundle?: string;
  serverUrl?: string;
  namespace?: string;
  spec?: string;
  kind?: string;
  /** --iac (or the Python PicoFun's --tf / --cdk). */
  iac?: string;
  /** --format openapi3|swagger2 (the Python PicoFun's): a hint checked against what the spec says it is. */
  specFormat?: string;
  /** --update-spec: api kind writes operationIds and integrations back into the spec. */
  updateSpec?: boolean;
  /** --strict: api kind operations open without a word from the spec or [api] public_operations are an error. */
  strict?: boolean;
}
