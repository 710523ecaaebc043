/**
 * The Terraform emitter: the module of a deployment model (the model's files plus the `.tf` files
 * and the definition template), and its notes in Terraform's words.
 */
import type { DeploymentModel, Note, NoteRef } from "../../deployment/model.js";
import { wiredDefinition } from "../../deployment/definition.js";
import { escapeTemplateMarkers, hclString, hclValue } from "../../render/escape.js";
import type { RenderJob } from "../../deployment/files.js";
import { renderReadme } from "../../docs/readme.js";
import type { IacOutput } from "../types.js";
import { apiTerraformData, authTerraformData, clientTerraformData } from "./data.js";
import { httpTasksTerraformData, statementHcl } from "./httpTasks.js";
import { outputsIn } from "./outputs.js";
import { httpTaskConnections, taskFileExpression } from "./tasks.js";

export const CLIENT_TERRAFORM_FILES = ["versions.tf", "variables.tf", "main.tf", "iam.tf", "lambda.tf", "vpc.tf", "outputs.tf"];
export const API_TERRAFORM_FILES = ["versions.tf", "variables.tf", "main.tf", "iam.tf", "lambda.tf", "outputs.tf", "security.tf", "observability.tf", "vpc.tf"];
/** The api kind's definition, a Terraform template: `${uris.NAME}` is each function's invoke ARN. */
export const DEFINITION_FILE = "openapi.json.tftpl";

const NOTE_WORDS: Record<NoteRef, string> = {
  deployCommand: "terraform apply",
  credentialsKeyId: "$(terraform output -raw credentials_kms_key_arn)",
};

/** A note in Terraform's words. */
export function terraformNote(note: Note): string {
  return typeof note === "string" ? note : note.map((p) => (typeof p === "string" ? p : NOTE_WORDS[p.ref])).join("");
}

/** The files of a Terraform generation: the model's own files and the module. */
export function emitTerraform(m: DeploymentModel): IacOutput {
  const renders: RenderJob[] = [...m.files.renders];
  if (m.kind === "api") renders.push(...apiRenders(m));
  else renders.push(...clientRenders(m));
  return { plan: { ...m.files, renders }, notes: m.notes.map(terraformNote), readme: renderReadme };
}

function clientRenders(m: DeploymentModel): RenderJob[] {
  const tf = clientTerraformData(m);
  const out: RenderJob[] = CLIENT_TERRAFORM_FILES.map((name) => ({ template: `client/terraform/${name}.hbs`, path: name, data: tf }));
  out.push({ template: "client/terraform/functions.tf.json.hbs", path: "functions.tf.json", data: tf });
  if (m.credentials) out.push({ template: "client/terraform/auth.tf.hbs", path: "auth.tf", data: authTerraformData(m) });
  if (m.stepFunctions) {
    const taskFile = taskFileExpression(m.stepFunctions, "lambda", "key");
    out.push({ template: "stepfunctions/stepfunctions.tf.hbs", path: "stepfunctions.tf", data: { taskFile, outputs: outputsIn("stepfunctions.tf", m) } });
    const { example, http } = m.stepFunctions;
    if (example) {
      const placeholders = example.functions.map((f, i) => ({ name: example.placeholders[i], value: `aws_lambda_function.this[${hclString(f)}].arn` }));
      if (example.http) placeholders.push({ name: example.http.placeholder, value: `aws_cloudwatch_event_connection.http_task[${hclString(example.http.connection)}].arn` });
      const width = Math.max(...placeholders.map((p) => p.name.length));
      out.push({
        template: "stepfunctions/example.tf.hbs",
        path: "stepfunctions_example.tf",
        data: {
          definition: example.definition,
          summary: example.labels.join(" then "),
          functionKeys: example.functions.map(hclString).join(", "),
          // terraform fmt aligns the `=` of consecutive arguments.
          placeholders: placeholders.map((p) => ({ name: p.name.padEnd(width), value: p.value })),
          http: example.http ? { statements: example.http.statements.map(statementHcl) } : undefined,
          outputs: outputsIn("stepfunctions_example.tf", m),
        },
      });
    }
    if (http && m.stepFunctions.tasks.some((t) => t.kind === "http")) {
      out.push({
        template: "stepfunctions/http.tf.hbs",
        path: "stepfunctions_http.tf",
        data: { ...httpTasksTerraformData(http), tasks: httpTaskConnections(m.stepFunctions), outputs: outputsIn("stepfunctions_http.tf", m) },
      });
    }
  }
  return out;
}

function apiRenders(m: DeploymentModel): RenderJob[] {
  const api = m.api!;
  const tf = apiTerraformData(m);
  // Literal `${` and `%{` of the spec are escaped; the markers added after are the template's only expressions.
  const template = wiredDefinition(api, (fn) => `\${uris.${fn}}`, escapeTemplateMarkers);
  const out: RenderJob[] = [{ template: "api/raw.hbs", path: DEFINITION_FILE, data: { content: template.replace(/\n$/, "") } }];
  out.push(...API_TERRAFORM_FILES.map((name) => ({ template: `api/terraform/${name}.hbs`, path: name, data: tf })));
  out.push({ template: "api/terraform/functions.tf.json.hbs", path: "functions.tf.json", data: tf });
  if (api.apiId) out.push({ template: "api/terraform/import.tf.example.hbs", path: "import.tf.example", data: { apiId: hclValue(api.apiId) } });
  return out;
}
