/**
 * The Python PicoFun's configuration keys and flags, accepted with a one-line notice that
 * names picofun's own (docs/migrating.md lists every difference).
 */
import { UserError } from "../util/errors.js";

/** Flat keys of the Python PicoFun -> the [auth] key picofun reads. */
const FLAT_AUTH_KEYS: Record<string, string> = { auth_enabled: "enabled", auth_ttl_minutes: "ttl_minutes" };

export const SPEC_FORMATS = ["openapi3", "swagger2"] as const;

export function notice(text: string): void {
  process.stderr.write(`picofun: note: ${text}\n`);
}

/**
 * Moves the flat auth keys into [auth] (a copy of raw is returned) and lists a notice for each.
 * Both spellings of one setting at once is an error.
 */
export function upstreamKeys(raw: Record<string, unknown>, where: string): { raw: Record<string, unknown>; notices: string[] } {
  const notices: string[] = [];
  if (!Object.keys(FLAT_AUTH_KEYS).some((k) => k in raw)) return { raw, notices };
  const out: Record<string, unknown> = { ...raw };
  const auth: Record<string, unknown> = { ...((raw.auth as Record<string, unknown>) ?? {}) };
  for (const [flat, key] of Object.entries(FLAT_AUTH_KEYS)) {
    if (!(flat in raw)) continue;
    if (key in auth) throw new UserError(`${where}: "${flat}" and [auth] ${key} are the same setting; keep [auth] ${key}`);
    auth[key] = raw[flat];
    delete out[flat];
    notices.push(`${where}: "${flat}" is the Python PicoFun's key; picofun reads it as [auth] ${key}`);
  }
  out.auth = auth;
  return { raw: out, notices };
}

export interface UpstreamFlags {
  iac?: string;
  tf?: boolean;
  cdk?: boolean;
  format?: string;
}

/** --iac, or --tf / --cdk (with a notice); conflicting choices are an error. */
export function iacFromFlags(flags: UpstreamFlags): string | undefined {
  if (flags.tf && flags.cdk) throw new UserError("--tf and --cdk cannot be used together; choose one (picofun's flag is --iac terraform|cdk)");
  const shortcut = flags.cdk ? "cdk" : flags.tf ? "terraform" : undefined;
  if (shortcut) {
    if (flags.iac !== undefined && flags.iac !== shortcut) {
      throw new UserError(`--iac ${flags.iac} and --${flags.cdk ? "cdk" : "tf"} disagree; give one of them`);
    }
    notice(`--${flags.cdk ? "cdk" : "tf"} is the Python PicoFun's flag; picofun's is --iac ${shortcut}`);
  }
  return flags.iac ?? shortcut;
}

/** --format openapi3|swagger2: checked, with a notice that picofun detects the version itself. */
export function specFormatFromFlags(flags: UpstreamFlags): string | undefined {
  if (flags.format === undefined) return undefined;
  if (!(SPEC_FORMATS as readonly string[]).includes(flags.format)) {
    throw new UserError(`--format must be "openapi3" or "swagger2", got "${flags.format}"`);
  }
  notice(`--format ${flags.format} is the Python PicoFun's flag; picofun detects the version from the document and only checks it against the hint`);
  return flags.format;
}

/** A warning when the document is not of the format --format named (the document wins). */
export function formatMismatch(hint: string | undefined, bytes: Uint8Array): string | undefined {
  if (!hint) return undefined;
  // The version field is near the top of a document; the first 4 KB are enough to tell.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString("utf8");
  const swagger = /(^|[{,\s])["']?swagger["']?\s*:\s*["']?2/m.test(head);
  const openapi = /(^|[{,\s])["']?openapi["']?\s*:\s*["']?3/m.test(head);
  const actual = swagger ? "swagger2" : openapi ? "openapi3" : undefined;
  if (!actual || actual === hint) return undefined;
  return `--format ${hint} was given but the spec is ${actual === "swagger2" ? "Swagger 2.0" : "OpenAPI 3"}; going by the document`;
}
