import { terminalSafe } from "../util/terminalText.js";
import type { Check, Needs } from "./types.js";
import { nodeCheck } from "./node.js";
import { lambdaPythonChecks, python3Check } from "./python.js";
import { pipChecks } from "./pip.js";
import { providerCheck, terraformCheck } from "./terraform.js";
import { cdkCheck } from "./cdk.js";
import { npmCheck } from "./npm.js";

export interface DoctorOptions {
  /** Skip the checks that use the network (pip download, registry.terraform.io). */
  offline: boolean;
}

export interface DoctorReport {
  checks: Check[];
  /** 0: everything the project needs is there (without a project: Node is usable); else 1. */
  exitCode: number;
}

/** Runs every check (independent ones at once), in the order they are printed. */
export async function runChecks(needs: Needs, options: DoctorOptions): Promise<DoctorReport> {
  const [npm, python3, pythons, pip, terraform, provider, cdk] = await Promise.all([
    npmCheck(needs),
    python3Check(needs),
    lambdaPythonChecks(needs),
    pipChecks(needs, options.offline),
    terraformCheck(needs),
    providerCheck(needs, options.offline),
    cdkCheck(needs),
  ]);
  const checks = [nodeCheck(needs), npm, python3, ...pythons, ...pip, terraform, provider, cdk];
  const failed = checks.some((c) => c.needed && c.state === "missing");
  return { checks, exitCode: failed ? 1 : 0 };
}

/** One line per check: state, name, what was found, what it is for, how to get it. */
export function formatCheck(check: Check, project: boolean): string {
  const shown = oneLine(check.detail);
  const detail = shown.length > 160 ? `${shown.slice(0, 157)}...` : shown;
  const needed = check.needed ? (project ? " [needed by picofun.toml]" : " [needed]") : "";
  const fix = check.state !== "ok" && check.fix ? `; to get it: ${check.fix}` : "";
  return oneLine(`${check.state.padEnd(8)} ${check.name.padEnd(14)} ${detail} - ${check.purpose}${needed}${fix}`);
}

/** Tools' own output (pip's errors, versions) and paths from the config, as one line a terminal only shows. */
function oneLine(text: string): string {
  return terminalSafe(text.replace(/\s*[\r\n]+\s*/g, " "));
}

/** The heading: which project (and what in it) the checks are judged against. */
export function heading(needs: Needs): string {
  if (!needs.configFile) return "No picofun.toml here: nothing is required, each line says what uses it.";
  const what = [needs.kind, needs.iac, needs.runtime, needs.requirements && `requirements ${needs.requirements}`, needs.packageJson && `dependencies ${needs.packageJson}`, needs.hooks && "pre/postprocessor"].filter(Boolean).join(", ");
  return oneLine(`Checking what ${needs.configFile} needs (${what}).`);
}

/** The last line: what is missing, or that nothing is. */
export function verdict(report: DoctorReport, needs: Needs): string {
  const missing = report.checks.filter((c) => c.needed && c.state === "missing").map((c) => c.name);
  if (missing.length) return `Missing what ${needs.configFile ? "picofun.toml needs" : "picofun needs"}: ${missing.join(", ")}.`;
  return needs.configFile ? "Everything picofun.toml needs is here." : "picofun runs here; the lines above say what each kind of output needs.";
}
