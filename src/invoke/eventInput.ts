/** The event `picofun invoke` sends: --event JSON, --event-file F, or "-" (stdin). */
import { megabytes, readBounded } from "../util/boundedRead.js";
import { UserError, oneLine } from "../util/errors.js";
import { terminalSafe } from "../util/terminalText.js";

/** Lambda's limit on a synchronous invocation's payload. */
export const MAX_EVENT_BYTES = 6 * 1024 * 1024;

function readLimited(file: string | number, where: string): string {
  let bytes: Buffer | undefined;
  try {
    bytes = readBounded(file, MAX_EVENT_BYTES);
  } catch (err) {
    throw new UserError(`${where}: cannot read it: ${oneLine(err)}`);
  }
  if (!bytes) throw new UserError(`${where} holds more than ${megabytes(MAX_EVENT_BYTES)}: Lambda takes events up to that size`);
  return bytes.toString("utf8");
}

/**
 * Why `text` is not JSON, without any of the text itself: V8's message quotes the input
 * (a whole file, with its newlines), so only the kind of problem and the place are kept.
 */
export function jsonProblem(text: string, err: unknown): string {
  if (!text.trim()) return "it is empty";
  const message = (err as Error).message;
  const at = /at position (\d+)/.exec(message);
  let place = "";
  if (at) {
    const before = text.slice(0, Number(at[1]));
    const line = before.split("\n").length;
    place = ` (line ${line}, column ${before.length - before.lastIndexOf("\n")})`;
  }
  if (/Unexpected end of JSON input/.test(message)) return "it ends in the middle of a value";
  const token = /^Unexpected token '(.)'/u.exec(message);
  if (token) return `unexpected character ${JSON.stringify(terminalSafe(token[1])).replace(/\\\\u/g, "\\u")}${place}`;
  if (/^Unexpected non-whitespace character/.test(message)) return `more after the JSON value${place}`;
  // Messages that quote no text ("Expected double-quoted property name") are kept; others are not.
  const reason = message.replace(/\s*(in JSON )?at position \d+.*$/s, "");
  if (/^[\w ,-]+$/.test(reason)) return `${reason.charAt(0).toLowerCase()}${reason.slice(1)}${place}`;
  return `not a JSON value${place}`;
}

export function readEvent(o: { event?: string; eventFile?: string; stdin?: boolean }, readStdin: () => string = () => readLimited(0, "stdin")): unknown {
  const given = [o.event !== undefined, o.eventFile !== undefined, !!o.stdin].filter(Boolean).length;
  if (given > 1) throw new UserError("give the event once: --event JSON, --event-file FILE or - (stdin)");
  let text: string;
  let where: string;
  if (o.event !== undefined) [text, where] = [o.event, "--event"];
  else if (o.eventFile !== undefined) {
    where = `--event-file ${terminalSafe(o.eventFile)}`;
    text = readLimited(o.eventFile, where);
  } else if (o.stdin) [text, where] = [readStdin(), "stdin"];
  else return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${where} is not JSON: ${jsonProblem(text, err)}`);
  }
}
