/**
 * Every key picofun.toml accepts, with its type, default and a one-line description.
 * The validator, the wizard's comments, `load.ts`'s defaults and the picorun runtime's environment
 * are driven by this table; test/unit/config-defaults.test.ts holds the README's reference and the
 * Python runtime's own defaults to it.
 */
export type KeyType = "string" | "boolean" | "integer" | "number" | "string[]" | "integer[]" | "table";

export interface KeySpec {
  type: KeyType;
  description: string;
  /** Allowed values for strings. */
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** A regular expression string values must match, with the message shown when they do not. */
  pattern?: { re: RegExp; hint: string };
  /** Keys of a sub-table (absent: a free-form table of strings). */
  keys?: Record<string, KeySpec>;
  /** Free-form tables: the type of each value. */
  valueType?: "string";
  /** The value used when the key is absent (keys whose default depends on other keys have none). */
  default?: string | number | boolean | readonly string[] | readonly number[];
  /** The client runtime's environment variable carrying the value (picorun reads it; same default). */
  env?: string;
}

/** 256 KiB (Step Functions' limit between states) less 4 KiB for the Lambda task's result envelope. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 - 4096;

const LAYER_ARN = {
  re: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]+:\d+$/,
  hint: "a Lambda layer version ARN like arn:aws:lambda:us-east-1:123456789012:layer:name:1",
};
const POLICY_ARN = { re: /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+$/, hint: "an IAM policy ARN" };
const ROLE_ARN = { re: /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, hint: "an IAM role ARN" };
const DOTTED = {
  re: /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/,
  hint: "a fully qualified reference like package.module.function",
};
/** SSM names: letters, digits and _.-/; "aws" and "ssm" at the start are reserved. */
export const PARAMETER_PREFIX = {
  re: /^(?!\/(aws|ssm)(\/|$))(\/[A-Za-z0-9_.-]+)+$/i,
  hint: 'a path like "/picorun" or "/team/apis": segments of letters, digits, "_", "." or "-", no trailing "/", not under /aws or /ssm',
};
export const NAMESPACE_PATTERN = {
  re: /^[A-Za-z][A-Za-z0-9_-]{0,39}$/,
  hint: "1-40 letters, digits, '-' or '_', starting with a letter (it prefixes Lambda function names)",
};

export const CONFIG_KEYS: Record<string, KeySpec> = {
  namespace: { type: "string", description: "Prefix of every generated name", pattern: NAMESPACE_PATTERN },
  spec: { type: "string", description: "OpenAPI document: a path or an http(s) URL" },
  kind: { type: "string", description: "client: Lambdas that call the API; api: an API Gateway REST API served by Lambdas", choices: ["client", "api"], default: "client" },
  iac: { type: "string", description: "Infrastructure as code written into output/: terraform (a module) or cdk (a TypeScript CDK app)", choices: ["terraform", "cdk"], default: "terraform" },
  auth_enabled: { type: "boolean", description: "The Python PicoFun's name of [auth] enabled (accepted with a notice)" },
  auth_ttl_minutes: { type: "number", description: "The Python PicoFun's name of [auth] ttl_minutes (accepted with a notice)", min: 0, max: 1440 },
  runtime: { type: "string", description: "Lambda runtime of the generated functions", choices: ["python3.14", "python3.13", "python3.12", "python3.11", "nodejs24.x", "nodejs22.x", "nodejs20.x"], default: "python3.13" },
  architecture: { type: "string", description: "Lambda architecture", choices: ["arm64", "x86_64"], default: "arm64" },
  timeout: { type: "integer", description: "Function timeout in seconds", min: 1, max: 900, default: 30 },
  memory_size: { type: "integer", description: "Function memory in MB", min: 128, max: 10240, default: 128 },
  bundle: { type: "string", description: "Folder of your own code to add to the layer (a requirements.txt in it is installed)" },
  iam_role_prefix: { type: "string", description: "Prefix of the IAM role name", pattern: { re: /^[\w+=,.@-]{0,24}$/, hint: "up to 24 characters allowed in IAM role names" }, default: "pf-" },
  include_endpoints: { type: "string", description: "YAML allowlist of endpoints to generate (default: all)" },
  layers: { type: "string[]", description: "Extra Lambda layer ARNs for every function", pattern: LAYER_ARN, default: [] },
  output_dir: { type: "string", description: "Where the Terraform module, lambdas/ and layer/ are written" },
  handlers_dir: { type: "string", description: "api kind: folder of the handler stubs you own" },
  postprocessor: { type: "string", description: "Function called with each response (package.module.function)", pattern: DOTTED },
  preprocessor: { type: "string", description: "Function called with each request (package.module.function)", pattern: DOTTED },
  role_permissions_boundary: { type: "string", description: "Permissions boundary policy ARN for the IAM role", pattern: POLICY_ARN },
  subnets: { type: "string[]", description: "Subnet ids for the functions (needs vpc_id)", pattern: { re: /^subnet-[0-9a-f]{8,17}$/, hint: "a subnet id like subnet-0123456789abcdef0" }, default: [] },
  template_path: { type: "string", description: "Folder of your own templates overriding the bundled ones" },
  xray_tracing: { type: "boolean", description: "Active X-Ray tracing", default: true },
  vpc_id: { type: "string", description: "VPC to run the functions in (needs subnets)", pattern: { re: /^vpc-[0-9a-f]{8,17}$/, hint: "a VPC id like vpc-0011223344556677f" } },
  powertools_layer: { type: "boolean", description: "Add the AWS Lambda Powertools layer unless already listed", default: true },
  log_retention_days: { type: "integer", description: "CloudWatch log retention of each function", min: 1, max: 3653, default: 14 },
  auth: {
    type: "table",
    description: "Automatic authentication",
    keys: {
      enabled: { type: "boolean", description: "Generate authentication from the spec's security schemes", default: true },
      ttl_minutes: { type: "number", description: "How long credentials are cached in memory", min: 0, max: 1440, default: 5 },
      store: { type: "string", description: "Where the credentials live: SSM Parameter Store or Secrets Manager", choices: ["ssm", "secretsmanager"], default: "ssm" },
      parameter_prefix: { type: "string", description: "Prefix of the credential names (/picorun/<namespace>/credentials-<type>)", pattern: PARAMETER_PREFIX, default: "/picorun" },
    },
  },
  max_response_bytes: {
    type: "integer",
    description: "Largest result a client function returns (ResponseTooLargeError beyond it; 0: no limit); the default fits Step Functions' 256 KiB",
    min: 0,
    max: 6291456,
    default: DEFAULT_MAX_RESPONSE_BYTES,
    env: "PICORUN_MAX_RESPONSE_BYTES",
  },
  retry: {
    type: "table",
    description: "Retries of client functions (exponential backoff with full jitter, Retry-After honoured within the deadline)",
    keys: {
      max_attempts: { type: "integer", description: "Attempts in all, 1 = no retry", min: 1, max: 20, default: 3, env: "PICORUN_RETRY_MAX_ATTEMPTS" },
      statuses: { type: "integer[]", description: "Statuses retried", min: 400, max: 599, default: [408, 429, 500, 502, 503, 504], env: "PICORUN_RETRY_STATUSES" },
      methods: {
        type: "string[]",
        description: "Methods retried on those statuses and on connection errors (the idempotent ones unless set)",
        choices: ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH"],
        default: ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"],
        env: "PICORUN_RETRY_METHODS",
      },
      base: { type: "number", description: "Backoff base in seconds", min: 0, max: 60, default: 0.5, env: "PICORUN_RETRY_BASE" },
      cap: { type: "number", description: "Longest backoff in seconds", min: 0, max: 900, default: 10, env: "PICORUN_RETRY_CAP" },
    },
  },
  pagination: {
    type: "table",
    description: "How client functions follow pages when the event says \"paginate\": true (default: Link headers)",
    keys: {
      max_pages: { type: "integer", description: "Pages fetched at most", min: 1, max: 10000, default: 10, env: "PICORUN_PAGINATION_MAX_PAGES" },
      cursor_param: { type: "string", description: "Cursor APIs: the query parameter that carries the cursor", env: "PICORUN_PAGINATION_CURSOR_PARAM" },
      cursor_field: { type: "string", description: "Cursor APIs: the response field (dotted) holding the next cursor", env: "PICORUN_PAGINATION_CURSOR_FIELD" },
      items_field: { type: "string", description: "The response field (dotted) holding the page's items (default: the body)", env: "PICORUN_PAGINATION_ITEMS_FIELD" },
    },
  },
  server: {
    type: "table",
    description: "Server URL override",
    keys: {
      url: { type: "string", description: "Full server URL (not with variables)" },
      variables: { type: "table", description: "Values for the spec's server variables", valueType: "string" },
    },
  },
  tags: { type: "table", description: "Tags on every resource", valueType: "string" },
  stepfunctions: {
    type: "table",
    description: "Step Functions (client kind)",
    keys: {
      example: { type: "boolean", description: "Also write an example state machine wired from two operations, with its role", default: false },
      http_tasks: { type: "boolean", description: "Also write an HTTP Task state (no Lambda) for every endpoint one can express, with EventBridge connections", default: false },
    },
  },
  api: {
    type: "table",
    description: "api kind settings",
    keys: {
      mode: { type: "string", description: "put_rest_api_mode", choices: ["merge", "overwrite"], default: "overwrite" },
      base_path: { type: "string", description: "How API Gateway treats the base path", choices: ["ignore", "prepend", "split"], default: "ignore" },
      stage: { type: "string", description: "Stage name", pattern: { re: /^[A-Za-z0-9_-]{1,128}$/, hint: "letters, digits, '-' and '_'" }, default: "v1" },
      execution_role_arn: { type: "string", description: "Existing role for the functions", pattern: ROLE_ARN },
      api_id: { type: "string", description: "Existing REST API id to adopt", pattern: { re: /^[a-z0-9]{10}$/, hint: "a 10-character REST API id" } },
      update_spec: { type: "boolean", description: "Write operationIds and integrations back into the spec", default: false },
      fail_on_warnings: { type: "boolean", description: "Roll back the import on any API Gateway warning", default: true },
      language: { type: "string", description: "Typed handlers: stubs with only handle(request), generated glue, models and tests (unset: single-file handler(event, context) stubs)", choices: ["python", "typescript"] },
      cognito_user_pools: {
        type: "string[]",
        description: "Cognito user pool ARNs: bearer, oauth2 and openIdConnect schemes use a Cognito authorizer instead of a Lambda one",
        pattern: { re: /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[\w-]+$/, hint: "a user pool ARN like arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123" },
      },
      allow_unenforced_security: { type: "boolean", description: "Generate even when a security scheme cannot be enforced by API Gateway (those operations stay open)", default: false },
      public_operations: {
        type: "string[]",
        description: "Operations meant to be open to the internet though the spec gives them no security (selectors: operationId, \"GET /path\", a path glob or tag:NAME); others are a warning (an error with --strict)",
        default: [],
      },
      cors: {
        type: "table",
        description: "CORS: OPTIONS answered by API Gateway, CORS headers on gateway errors",
        keys: {
          origins: { type: "string[]", description: "Allowed origins (one, several, or \"*\")" },
          methods: { type: "string[]", description: "Allowed methods (default: each path's methods)" },
          headers: { type: "string[]", description: "Allowed request headers (default: Content-Type, Authorization, X-Api-Key)" },
          max_age: { type: "integer", description: "Seconds browsers may cache a preflight answer", min: 0, max: 86400 },
        },
      },
    },
  },
};

/** The spec of a key by its dotted path ("retry.max_attempts"). */
export function keySpec(path: string): KeySpec {
  let table: Record<string, KeySpec> = CONFIG_KEYS;
  let spec: KeySpec | undefined;
  for (const part of path.split(".")) {
    spec = table[part];
    if (!spec) throw new Error(`no config key ${path}`);
    table = spec.keys ?? {};
  }
  return spec!;
}

/** A key's default from the table (an error for a key that has none: that is picofun's bug). */
export function defaultOf<T extends NonNullable<KeySpec["default"]>>(path: string): T {
  const value = keySpec(path).default;
  if (value === undefined) throw new Error(`config key ${path} has no default`);
  return (Array.isArray(value) ? [...value] : value) as T;
}

/** Every key with a default or a runtime variable, by dotted path. */
export function flatKeys(table: Record<string, KeySpec> = CONFIG_KEYS, prefix = ""): Array<[string, KeySpec]> {
  return Object.entries(table).flatMap(([name, spec]) => [
    [`${prefix}${name}`, spec] as [string, KeySpec],
    ...(spec.keys ? flatKeys(spec.keys, `${prefix}${name}.`) : []),
  ]);
}
