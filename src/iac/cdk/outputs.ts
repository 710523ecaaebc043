/**
 * The deployment model's outputs (src/deployment/outputs.ts) in a CDK app: a stack output where
 * the construct makes one, otherwise the construct's property that holds the value. The app's
 * README lists both, under the outputs' names.
 */
import type { DeploymentModel } from "../../deployment/model.js";
import type { OutputValue } from "../../deployment/outputs.js";

interface CdkPlace {
  /** What holds the value on the construct (or the method that grants it); none: `instead` says why. */
  property?: string;
  instead?: string;
  /** The stack output the construct adds for it, with its description, when `made(model)`. */
  stackOutput?: { id: string; description: string; made(m: DeploymentModel): boolean };
}

const KEY_ID = "Id of the API key to send as x-api-key (its value: aws apigateway get-api-key --include-value --api-key <id>).";
const withKey = (m: DeploymentModel) => !!m.api?.apiKeyRequired;

const PLACES: Record<OutputValue, CdkPlace> = {
  functionArns: { property: "functions[name].functionArn" },
  functionNamesByModule: { property: "functionNames" },
  functionNamesByOperation: { property: "functionNames" },
  roleArn: { property: "role.roleArn" },
  layerArn: { property: "layer.layerVersionArn" },
  powertoolsLayerArn: { property: "powertoolsLayer?.layerVersionArn" },
  logGroupNames: { property: "functions[name].logGroup.logGroupName" },
  invokeUrl: { property: "restApi.url", stackOutput: { id: "Endpoint", description: "Base URL of the deployed stage.", made: () => true } },
  apiId: { property: "restApi.restApiId" },
  executionArn: { property: "restApi.arnForExecuteApi()" },
  apiKeyId: { property: "apiKey?.keyId", stackOutput: { id: "ApiKeyId", description: KEY_ID, made: withKey } },
  apiKeyValue: { instead: "not in the stack: aws apigateway get-api-key --include-value --api-key <ApiKeyId>" },
  usagePlanId: { property: "usagePlan?.usagePlanId", stackOutput: { id: "UsagePlanId", description: "Id of the usage plan of the API key.", made: withKey } },
  authorizerFunctionNames: { property: "authorizers[scheme].functionName" },
  accessLogGroup: { property: "accessLogGroup.logGroupName" },
  credentialsKeyArn: { property: "credentials?.key.keyArn" },
  credentialNames: { property: "credentials?.names" },
  stepFunctionsTasks: { property: "tasks" },
  invokePolicyJson: { property: "grantInvoke(grantee)" },
  httpTasks: { property: "httpTasks.tasks" },
  httpTasksPolicyJson: { property: "httpTasks.policyDocument(), httpTasks.grant(role)" },
  exampleStateMachineArn: {
    property: "example.stateMachine.attrArn",
    stackOutput: { id: "ExampleStateMachineArn", description: "ARN of the example state machine.", made: (m) => !!m.stepFunctions?.example },
  },
};

/** The stack outputs the construct adds, in the model's order. */
export function cdkStackOutputs(m: DeploymentModel): Array<{ name: string; description: string }> {
  return m.outputs.flatMap((o) => {
    const s = PLACES[o.value].stackOutput;
    return s?.made(m) ? [{ name: s.id, description: s.description }] : [];
  });
}

/** Each of the model's outputs, by its name, and where the CDK app holds its value. */
export function cdkOutputPlaces(m: DeploymentModel): Array<{ name: string; description: string; property?: string; instead?: string }> {
  return m.outputs.map((o) => ({ name: o.name, description: o.description, ...PLACES[o.value] }));
}
