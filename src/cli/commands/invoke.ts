import { readEvent } from "../../invoke/eventInput.js";
import { invokeFunction } from "../../invoke/run.js";
import { checkGivenServerUrl } from "../../model/urlCheck.js";
import { UserError } from "../../util/errors.js";
import { overridesFrom, type GlobalFlags } from "../options.js";

export interface InvokeFlags extends GlobalFlags {
  event?: string;
  eventFile?: string;
  timeout?: string;
  method?: string;
  path?: string;
  query?: string[];
  header?: string[];
  body?: string;
}

/**
 * `picofun invoke <selector> [--event JSON | --event-file F | -]`: prints the result as JSON;
 * an error prints `Type: message` on stderr (the message is JSON when the runtime made it so) and exits 1.
 */
export async function invokeCommand(selector: string | undefined, stdinMark: string | undefined, flags: InvokeFlags): Promise<void> {
  if (stdinMark !== undefined && stdinMark !== "-") throw new UserError(`unexpected argument "${stdinMark}" (use - to read the event from stdin)`);
  const timeout = flags.timeout === undefined ? undefined : Number(flags.timeout);
  if (timeout !== undefined && !(timeout > 0 && timeout <= 900)) throw new UserError(`--timeout must be seconds between 0 and 900, got "${flags.timeout}"`);
  if (flags.serverUrl !== undefined) checkGivenServerUrl(flags.serverUrl, "--server-url");
  const useStdin = selector === "-" || stdinMark === "-";
  const name = selector === "-" ? undefined : selector;
  // --server-url is applied when the function runs; the generated files keep their own URL.
  const overrides = { ...overridesFrom(flags), serverUrl: undefined };
  const event = readEvent({ event: flags.event, eventFile: flags.eventFile, stdin: useStdin });
  const outcome = await invokeFunction({ ...flags, selector: name, event: () => event, eventGiven: flags.event !== undefined || flags.eventFile !== undefined || useStdin, timeoutSeconds: timeout, serverUrl: flags.serverUrl, overrides });
  if (outcome.ok) {
    process.stdout.write(`${JSON.stringify(outcome.result, null, 2)}\n`);
    return;
  }
  process.stderr.write(`${outcome.errorType}: ${outcome.errorMessage}\n`);
  if (flags.debug) for (const l of outcome.stackTrace) process.stderr.write(l.endsWith("\n") ? l : `${l}\n`);
  process.exitCode = 1;
}
