/** The Step Functions Task states of the deployment model (`stepFunctions.tasks`) in a CDK app. */
import type { DeploymentModel } from "../../deployment/model.js";

/** The Lambda Task state file of each function (the construct's tasks property reads them). */
export function lambdaTaskFiles(m: DeploymentModel): Record<string, string> {
  return Object.fromEntries((m.stepFunctions?.tasks ?? []).filter((t) => t.kind === "lambda").map((t) => [t.function, t.path]));
}
