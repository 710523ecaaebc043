/**
 * The Step Functions Task states of the deployment model (`stepFunctions.tasks`) in Terraform:
 * the file each output's `templatefile` reads, and the HTTP Tasks' connections by function.
 */
import type { StepFunctionsModel, StepFunctionsTask } from "../../deployment/model.js";
import { hclString } from "../../render/escape.js";

function folderOf(tasks: StepFunctionsTask[]): string {
  const dir = tasks[0]?.path.replace(/\/[^/]*$/, "") ?? "";
  for (const t of tasks) {
    // The module reads them by name in one folder (templatefile over a for expression).
    if (t.path !== `${dir}/${t.function}.json`) throw new Error(`Task state ${t.path}: the Terraform module reads ${dir}/<function>.json`);
  }
  return dir;
}

/** `templatefile`'s path of a task of `kind`, the function's key being `key` (an HCL variable). */
export function taskFileExpression(sf: StepFunctionsModel, kind: StepFunctionsTask["kind"], key: string): string {
  return `"\${path.module}/${folderOf(sf.tasks.filter((t) => t.kind === kind))}/\${${key}}.json"`;
}

/** The HTTP Tasks' function -> connection key lines, aligned as terraform fmt aligns them. */
export function httpTaskConnections(sf: StepFunctionsModel): Array<{ name: string; connection: string }> {
  const http = sf.tasks.filter((t) => t.kind === "http");
  const width = Math.max(0, ...http.map((t) => hclString(t.function).length));
  return http.map((t) => ({ name: hclString(t.function).padEnd(width), connection: hclString(t.connection ?? "") }));
}
