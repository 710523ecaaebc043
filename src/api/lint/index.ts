import { detectVersion } from "../../spec/load.js";
import { parseSpecText } from "../../spec/parse.js";
import { readSpecSource } from "../../spec/read.js";
import { runRules } from "./rules.js";
import type { Finding } from "./types.js";

export type { Finding } from "./types.js";

export interface LintReport {
  location: string;
  version: string;
  findings: Finding[];
  errors: number;
  warnings: number;
}

/** Lints a parsed document for API Gateway import limitations. */
export function lintDocument(doc: Record<string, unknown>, version: string, size: number, location = "spec"): LintReport {
  const findings = runRules({ doc, version, size });
  return {
    location,
    version,
    findings,
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
  };
}

/** Reads, parses and lints a spec file or URL (Swagger 2.0 documents are linted as they are). */
export async function lintSpec(location: string, cwd = process.cwd()): Promise<LintReport> {
  const source = await readSpecSource(location, cwd);
  const doc = await parseSpecText(source);
  const version = detectVersion(doc, source.location);
  return lintDocument(doc, version, source.bytes.byteLength, source.location);
}

export function formatText(report: LintReport): string {
  const lines = report.findings.map((f) => `${f.severity === "error" ? "error  " : "warning"} ${f.rule}  ${f.pointer}  ${f.message}; fix: ${f.fix}`);
  lines.push(`${report.location}: ${report.errors} error(s), ${report.warnings} warning(s)`);
  return lines.join("\n");
}

export function formatJson(report: LintReport): string {
  return JSON.stringify(report, null, 2);
}
