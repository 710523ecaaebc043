import { UserError } from "../../util/errors.js";

export interface LintFlags {
  format?: string;
}

/** `picofun lint <spec> [--format text|json]`: API Gateway import limitations; exit 1 on errors. */
export async function lintCommand(spec: string, flags: LintFlags): Promise<void> {
  const format = flags.format ?? "text";
  if (format !== "text" && format !== "json") throw new UserError(`--format must be "text" or "json", got "${format}"`);
  const { lintSpec, formatJson, formatText } = await import("../../kinds/api/lint/index.js");
  const report = await lintSpec(spec);
  process.stdout.write(`${format === "json" ? formatJson(report) : formatText(report)}\n`);
  if (report.errors) process.exitCode = 1;
}
