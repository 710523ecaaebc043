/** The CDK emitter of the HTTP Tasks model: lib/http-tasks.json, which lib/httpTasks.ts turns into connections and a policy. */
import { CREDENTIAL_PLACEHOLDER, type HttpTasksModel } from "../../deployment/httpTasks.js";
import type { StepFunctionsTask } from "../../deployment/model.js";

export function httpTasksCdkData(m: HttpTasksModel, tasks: StepFunctionsTask[]): Record<string, unknown> {
  return {
    placeholder: CREDENTIAL_PLACEHOLDER,
    connections: m.connections.map((c) => ({
      key: c.key,
      authorizationType: c.authorizationType,
      description: c.description,
      apiKey: c.apiKey ?? null,
      queryKey: c.queryKey ?? null,
      oauth: c.oauth ? { tokenUrl: c.oauth.tokenUrl, scope: c.oauth.scopes.join(" ") } : null,
    })),
    tasks: Object.fromEntries(tasks.filter((t) => t.kind === "http").map((t) => [t.function, t.connection])),
    statements: m.statements,
  };
}
