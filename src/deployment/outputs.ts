/**
 * What a deployment gives back (the Terraform module's outputs; in a CDK app its stack outputs or
 * the construct's properties): names, descriptions and neutral value references. The names are
 * a public interface (root modules, the wizard and other tools read `http_tasks`,
 * `step_functions_tasks`, `function_arns`, `role_arn`...): change none of them.
 */

/** The value of an output, neutrally: each emitter knows how to spell it. */
export type OutputValue =
  | "functionArns"
  | "functionNamesByModule"
  | "functionNamesByOperation"
  | "roleArn"
  | "layerArn"
  | "powertoolsLayerArn"
  | "logGroupNames"
  | "invokeUrl"
  | "apiId"
  | "executionArn"
  | "apiKeyId"
  | "apiKeyValue"
  | "usagePlanId"
  | "authorizerFunctionNames"
  | "accessLogGroup"
  | "credentialsKeyArn"
  | "credentialNames"
  | "stepFunctionsTasks"
  | "invokePolicyJson"
  | "httpTasks"
  | "httpTasksPolicyJson"
  | "exampleStateMachineArn";

/** The part of the deployment an output belongs to (a Terraform emitter puts it in that part's file). */
export type OutputPart = "functions" | "api" | "credentials" | "stepFunctions" | "httpTasks" | "example";

export interface ModuleOutput {
  name: string;
  description: string;
  value: OutputValue;
  part: OutputPart;
  /** Kept out of plain output (an API key's value or id). */
  sensitive?: boolean;
}

const out = (part: OutputPart, name: string, value: OutputValue, description: string, sensitive?: boolean): ModuleOutput =>
  sensitive ? { name, description, value, part, sensitive } : { name, description, value, part };

const ARNS = "ARN of each function, by function name.";
const UPSTREAM = " (upstream PicoFun's output name)";

/** Both names of the functions' ARNs and role (upstream PicoFun's beside picofun's). */
function functionArns(roleDescription: string): { arns: ModuleOutput[]; role: ModuleOutput[] } {
  return {
    arns: [out("functions", "function_arns", "functionArns", ARNS), out("functions", "lambda_function_arns", "functionArns", `${ARNS.slice(0, -1)}${UPSTREAM}.`)],
    role: [out("functions", "role_arn", "roleArn", roleDescription), out("functions", "iam_role_arn", "roleArn", `${roleDescription.slice(0, -1)}${UPSTREAM}.`)],
  };
}

/** What the client kind's features add: credentials, Step Functions tasks, HTTP Tasks, the example workflow. */
export interface ClientOutputParts {
  credentials: boolean;
  stepFunctions: boolean;
  httpTasks: boolean;
  example: boolean;
}

export function clientOutputs(parts: ClientOutputParts): ModuleOutput[] {
  const { arns, role } = functionArns("ARN of the functions' IAM role.");
  const list = [
    ...arns,
    out("functions", "function_names", "functionNamesByModule", "Function name of each endpoint module."),
    ...role,
    out("functions", "layer_arn", "layerArn", "ARN of the generated runtime layer version."),
    out("functions", "powertools_layer_arn", "powertoolsLayerArn", "The Powertools layer added to the functions, or null when none is added."),
    out("functions", "log_group_names", "logGroupNames", "Log group of each function, by function name."),
  ];
  if (parts.credentials) {
    list.push(
      out("credentials", "credentials_kms_key_arn", "credentialsKeyArn", "ARN of the KMS key that encrypts the credentials."),
      out("credentials", "credential_parameters", "credentialNames", "Name of each credential parameter (or secret), by credential type."),
    );
  }
  if (parts.stepFunctions) {
    list.push(
      out("stepFunctions", "step_functions_tasks", "stepFunctionsTasks", "Task state (JSON) of each function, by function name, with its ARN filled in."),
      out("stepFunctions", "invoke_policy_json", "invokePolicyJson", "IAM policy document allowing lambda:InvokeFunction on exactly these functions and their versions."),
    );
  }
  if (parts.httpTasks) {
    list.push(
      out("httpTasks", "http_tasks", "httpTasks", "HTTP Task state (JSON) of each endpoint an HTTP Task can call, by function name, with its connection's ARN filled in."),
      out(
        "httpTasks",
        "http_tasks_policy_json",
        "httpTasksPolicyJson",
        "IAM policy document allowing states:InvokeHTTPEndpoint on exactly these endpoints and methods, and the use of their connections.",
      ),
    );
  }
  if (parts.example) list.push(out("example", "example_state_machine_arn", "exampleStateMachineArn", "ARN of the example state machine."));
  return list;
}

export function apiOutputs(): ModuleOutput[] {
  const { arns, role } = functionArns("Execution role of the functions.");
  return [
    out("api", "invoke_url", "invokeUrl", "Base URL of the deployed stage."),
    out("api", "api_id", "apiId", "Id of the REST API."),
    out("api", "execution_arn", "executionArn", "Execution ARN of the REST API."),
    ...arns,
    out("functions", "function_names", "functionNamesByOperation", "Function name of each operationId."),
    ...role,
    out("api", "api_key_id", "apiKeyId", "Id of the API key (null when no operation requires x-api-key).", true),
    out("api", "api_key_value", "apiKeyValue", "Value of the API key to send as x-api-key (null when no operation requires it).", true),
    out("api", "usage_plan_id", "usagePlanId", "Id of the usage plan of the API key (null when no operation requires x-api-key)."),
    out("api", "authorizer_function_names", "authorizerFunctionNames", "Lambda authorizer function of each security scheme."),
    out("api", "access_log_group", "accessLogGroup", "Log group of the stage's access log."),
  ];
}
