export type Severity = "error" | "warning";

/** One API Gateway import problem found in a document. */
export interface Finding {
  rule: string;
  severity: Severity;
  /** JSON pointer of the offending node (`#/paths/~1pets/get`). */
  pointer: string;
  message: string;
  /** One line telling how to fix it. */
  fix: string;
  /** `picofun generate` (kind = "api") fixes this in the API definition it writes. */
  fixedByGenerate: boolean;
}

export interface LintRule {
  id: string;
  severity: Severity;
  /** What API Gateway does about it, for `picofun lint --rules` and the docs. */
  summary: string;
  fixedByGenerate: boolean;
  check(ctx: LintContext): Array<Omit<Finding, "rule" | "severity" | "fixedByGenerate">>;
}

export interface LintContext {
  doc: Record<string, unknown>;
  /** "2.0", "3.0" or "3.1". */
  version: string;
  /** Size in bytes of the document's text. */
  size: number;
}
