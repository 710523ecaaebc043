/**
 * Every key picofun.toml accepts, with its type, default and a one-line description.
 * The validator, the wizard's comments and the README's reference are all driven by this table.
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
}

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
  kind: { type: "string", description: "client: Lambdas that call the API; api: an API Gateway REST API served by Lambdas", choices: ["client", "api"] },
  iac: { type: "string", description: "Infrastructure as code written into output/: terraform (a module) or cdk (a TypeScript CDK app)", choices: ["terraform", "cdk"] },
  auth_enabled: { type: "boolean", description: "The Python PicoFun's name of [auth] enabled (accepted with a notice)" },
  auth_ttl_minutes: { type: "number", description: "The Python PicoFun's name of [auth] ttl_minutes (accepted with a notice)", min: 0, max: 1440 },
  runtime: { type: "string", description: "Lambda runtime of the generated functions", choices: ["python3.13", "python3.12", "python3.11", "nodejs22.x", "nodejs20.x"] },
  architecture: { type: "string", description: "Lambda architecture", choices: ["arm64", "x86_64"] },
  timeout: { type: "integer", description: "Function timeout in seconds", min: 1, max: 900 },
  memory_size: { type: "integer", description: "Function memory in MB", min: 128, max: 10240 },
  bundle: { type: "string", description: "Folder of your own code to add to the layer (a requirements.txt in it is installed)" },
  iam_role_prefix: { type: "string", description: "Prefix of the IAM role name", pattern: { re: /^[\w+=,.@-]{0,24}$/, hint: "up to 24 characters allowed in IAM role names" } },
  include_endpoints: { type: "string", description: "YAML allowlist of endpoints to generate (default: all)" },
  layers: { type: "string[]", description: "Extra Lambda layer ARNs for every function", pattern: LAYER_ARN },
  output_dir: { type: "string", description: "Where the Terraform module, lambdas/ and layer/ are written" },
  handlers_dir: { type: "string", description: "api kind: folder of the handler stubs you own" },
  postprocessor: { type: "string", description: "Function called with each response (package.module.function)", pattern: DOTTED },
  preprocessor: { type: "string", description: "Function called with each request (package.module.function)", pattern: DOTTED },
  role_permissions_boundary: { type: "string", description: "Permissions boundary policy ARN for the IAM role", pattern: POLICY_ARN },
  subnets: { type: "string[]", description: "Subnet ids for the functions (needs vpc_id)", pattern: { re: /^subnet-[0-9a-f]{8,17}$/, hint: "a subnet id like subnet-0123456789abcdef0" } },
  template_path: { type: "string", description: "Folder of your own templates overriding the bundled ones" },
  xray_tracing: { type: "boolean", description: "Active X-Ray tracing" },
  vpc_id: { type: "string", description: "VPC to run the functions in (needs subnets)", pattern: { re: /^vpc-[0-9a-f]{8,17}$/, hint: "a VPC id like vpc-0011223344556677f" } },
  powertools_layer: { type: "boolean", description: "Add the AWS Lambda Powertools layer unless already listed" },
  log_retention_days: { type: "integer", description: "CloudWatch log retention of each function", min: 1, max: 3653 },
  auth: {
    type: "table",
    description: "Automatic authentication",
    keys: {
      enabled: { type: "boolean", description: "Generate authentication from the spec's security schemes" },
      ttl_minutes: { type: "number", description: "How long credentials are cached in memory", min: 0, max: 1440 },
      store: { type: "string", description: "Where the credentials live: SSM Parameter Store or Secrets Manager", choices: ["ssm", "secretsmanager"] },
      parameter_prefix: { type: "string", description: "Prefix of the credential names (/picorun/<namespace>/credentials-<type>)", pattern: PARAMETER_PREFIX },
    },
  },
  max_response_bytes: {
    type: "integer",
    description: "Largest result a client function returns (ResponseTooLargeError beyond it; 0: no limit). Default 258048: fits Step Functions' 256 KiB",
    min: 0,
    max: 6291456,
  },
  retry: {
    type: "table",
    description: "Retries of client functions (exponential backoff with full jitter, Retry-After honoured within the deadline)",
    keys: {
      max_attempts: { type: "integer", description: "Attempts in all, 1 = no retry (default 3)", min: 1, max: 20 },
      statuses: { type: "integer[]", description: "Statuses retried (default [408, 429, 500, 502, 503, 504])", min: 400, max: 599 },
      methods: {
        type: "string[]",
        description: "Methods retried on those statuses and on connection errors (default the idempotent ones)",
        choices: ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH"],
      },
      base: { type: "number", description: "Backoff base in seconds (default 0.5)", min: 0, max: 60 },
      cap: { type: "number", description: "Longest backoff in seconds (default 10)", min: 0, max: 900 },
    },
  },
  pagination: {
    type: "table",
    description: "How client functions follow pages when the event says \"paginate\": true (default: Link headers)",
    keys: {
      max_pages: { type: "integer", description: "Pages fetched at most (default 10)", min: 1, max: 10000 },
      cursor_param: { type: "string", description: "Cursor APIs: the query parameter that carries the cursor" },
      cursor_field: { type: "string", description: "Cursor APIs: the response field (dotted) holding the next cursor" },
      items_field: { type: "string", description: "The response field (dotted) holding the page's items (default: the body)" },
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
      example: { type: "boolean", description: "Also write an example state machine wired from two operations, with its role" },
    },
  },
  api: {
    type: "table",
    description: "api kind settings",
    keys: {
      mode: { type: "string", description: "put_rest_api_mode", choices: ["merge", "overwrite"] },
      base_path: { type: "string", description: "How API Gateway treats the base path", choices: ["ignore", "prepend", "split"] },
      stage: { type: "string", description: "Stage name", pattern: { re: /^[A-Za-z0-9_-]{1,128}$/, hint: "letters, digits, '-' and '_'" } },
      execution_role_arn: { type: "string", description: "Existing role for the functions", pattern: ROLE_ARN },
      api_id: { type: "string", description: "Existing REST API id to adopt", pattern: { re: /^[a-z0-9]{10}$/, hint: "a 10-character REST API id" } },
      update_spec: { type: "boolean", description: "Write operationIds and integrations back into the spec" },
      fail_on_warnings: { type: "boolean", description: "Roll back the import on any API Gateway warning" },
      language: { type: "string", description: "Typed handlers: stubs with only handle(request), generated glue, models and tests (unset: single-file handler(event, context) stubs)", choices: ["python", "typescript"] },
      cognito_user_pools: {
        type: "string[]",
        description: "Cognito user pool ARNs: bearer, oauth2 and openIdConnect schemes use a Cognito authorizer instead of a Lambda one",
        pattern: { re: /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[\w-]+$/, hint: "a user pool ARN like arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123" },
      },
      allow_unenforced_security: { type: "boolean", description: "Generate even when a security scheme cannot be enforced by API Gateway (those operations stay open)" },
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
