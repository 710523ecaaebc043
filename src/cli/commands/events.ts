import { writeEvents } from "../../events/write.js";
import { terminalSafe } from "../../util/terminalText.js";
import { overridesFrom, type GlobalFlags } from "../options.js";

/** `picofun events [selector...]`: example events in events/, for `invoke --event-file` and tests. */
export async function eventsCommand(selectors: string[], flags: GlobalFlags): Promise<void> {
  const report = await writeEvents(selectors, overridesFrom(flags));
  for (const f of report.written) process.stdout.write(`wrote ${f}\n`);
  for (const f of report.kept) process.stdout.write(`kept ${f} (exists; delete it to get a fresh one)\n`);
  for (const d of report.dangling) {
    process.stdout.write(`kept ${terminalSafe(d.file)}: a symbolic link to ${terminalSafe(d.target)}, which does not exist (picofun never writes through a link; remove it to get a fresh one)\n`);
  }
}
