import { projectNeeds } from "../../doctor/needs.js";
import { formatCheck, heading, runChecks, verdict } from "../../doctor/report.js";
import { chalk } from "../../ui/color.js";

const COLOR = { ok: chalk.green, missing: chalk.red, skipped: chalk.yellow } as const;

/** `picofun doctor`: what this machine has for what picofun writes (src/doctor/). */
export async function doctorCommand(flags: { config?: string; offline?: boolean }): Promise<void> {
  const needs = projectNeeds(flags.config);
  const report = await runChecks(needs, { offline: !!flags.offline });
  const tty = process.stdout.isTTY;
  process.stdout.write(`${heading(needs)}\n`);
  for (const check of report.checks) {
    const line = formatCheck(check, !!needs.configFile);
    process.stdout.write(`${tty ? line.replace(check.state, COLOR[check.state](check.state)) : line}\n`);
  }
  process.stdout.write(`${verdict(report, needs)}\n`);
  process.exitCode = report.exitCode;
}
