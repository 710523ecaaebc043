/** The event `picofun invoke` sends: --event JSON, --event-file F, or "-" (stdin). */
import { readFileSync } from "node:fs";
import { UserError } from "../util/errors.js";

export function readEvent(o: { event?: string; eventFile?: string; stdin?: boolean }, readStdin: () => string = () => readFileSync(0, "utf8")): unknown {
  const given = [o.event !== undefined, o.eventFile !== undefined, !!o.stdin].filter(Boolean).length;
  if (given > 1) throw new UserError("give the event once: --event JSON, --event-file FILE or - (stdin)");
  let text: string;
  let where: string;
  if (o.event !== undefined) [text, where] = [o.event, "--event"];
  else if (o.eventFile !== undefined) {
    try {
      text = readFileSync(o.eventFile, "utf8");
    } catch {
      throw new UserError(`--event-file: cannot read ${o.eventFile}`);
    }
    where = o.eventFile;
  } else if (o.stdin) [text, where] = [readStdin(), "stdin"];
  else return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${where} is not JSON: ${(err as Error).message}`);
  }
}
