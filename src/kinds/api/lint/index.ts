import { detectVersion } from "../../../spec/load.js";
import { parseSpecText } from "../../../spec/parse.js";
import { readSpecSource } from "../../../spec/read.js";
import { checkNesting } from "../../../spec/depth.js";
import { runRules } from "./rules.js";
import type { Finding } from "./types.js";
import { terminalSafe } from "../../../util/terminalText.js";

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
  // The rules recurse: a document nested thousands of levels deep is one error line first.
  checkNesting(doc, location);
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

/** Findings per rule: how many, and whether `picofun generate` (kind = "api") fixes them by itself. */
export function ruleSummary(report: LintReport): Array<{ rule: string; severity: string; count: number; fixedByGenerate: boolean }> {
  const byRule = new Map<string, { rule: string; severity: string; count: number; fixedByGenerate: boolean }>();
  for (const f of report.findings) {
    const row = byRule.get(f.rule) ?? { rule: f.rule, severity: f.severity, count: 0, fixedByGenerate: f.fixedByGenerate };
    row.count++;
    byRule.set(f.rule, row);
  }
  return [...byRule.values()].sort((a, b) => a.rule.localeCompare(b.rule));
}

export function formatText(report: LintReport): string {
  // Pointers and messages quote the spec: printed through terminalSafe, one line each.
  const lines = report.findings.map((f) => terminalSafe(`${f.severity === "error" ? "error  " : "warning"} ${f.rule}  ${f.pointer}  ${f.message}; fix: ${f.fix}`));
  const rows = ruleSummary(report);
  if (rows.length) {
    const width = Math.max(...rows.map((r) => r.rule.length));
    lines.push("", "By rule:");
    for (const r of rows) {
      const what = r.fixedByGenerate ? "fixed by picofun generate" : "fix the spec";
      lines.push(`  ${r.rule.padEnd(width)}  ${String(r.count).padStart(5)} ${r.severity === "error" ? "error(s)  " : "warning(s)"}  ${what}`);
    }
    const fixed = report.findings.filter((f) => f.fixedByGenerate).length;
    lines.push(`${fixed} of ${report.findings.length} finding(s) are fixed by picofun generate (kind = "api") by itself; generate checks only the operations include_endpoints keeps`);
  }
  lines.push(`${terminalSafe(report.location)}: ${report.errors} error(s), ${report.warnings} warning(s)`);
  return lines.join("\n");
}

export function formatJson(report: LintReport): string {
  return JSON.stringify({ ...report, summary: ruleSummary(report) }, null, 2);
}
