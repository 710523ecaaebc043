/**
 * Secure by default: operations the spec leaves without any security requirement (none of their
 * own and none at the root) are open to the internet once deployed. Generation names them, unless
 * the spec says so on purpose (`security: []`) or `[api] public_operations` selects them;
 * `--strict` turns the warning into an error.
 */
import type { Endpoint } from "../../model/types.js";
import { endpointKey } from "../../model/types.js";
import { matchesSelector, parseSelector, type Selector } from "../../select/selectors.js";
import { UserError } from "../../util/errors.js";
import type { SecurityModel } from "./gateway/security.js";

/** At most this many operations are named in the one line; the rest are counted. */
const LISTED = 20;

export const OPEN_HINT = 'list them in [api] public_operations, or give them "security: []" in the spec if they are meant to be public, or a security requirement';

/** "METHOD path" of every operation open because the spec says nothing about its security. */
export function unmarkedOpen(model: SecurityModel): string[] {
  return [...model.operations.values()].filter((a) => a.open && a.openBecause === "no security").map((a) => a.key);
}

/** "A, B and 3 more". */
export function listKeys(keys: string[]): string {
  const more = keys.length > LISTED ? `, and ${keys.length - LISTED} more` : "";
  return `${keys.slice(0, LISTED).join(", ")}${more}`;
}

function selectors(publicOperations: string[]): Selector[] {
  return publicOperations.map((raw) => {
    try {
      return parseSelector(raw);
    } catch (err) {
      throw new UserError(`[api] public_operations: ${(err as Error).message}`);
    }
  });
}

/**
 * Checks the operations left open without a word: returns the warnings for the summary (the open
 * operations not in `public_operations`, and selectors that name no kept operation), or throws
 * with `strict`.
 */
export function checkOpenOperations(model: SecurityModel, endpoints: Endpoint[], options: { publicOperations: string[]; strict: boolean; location: string }): string[] {
  const chosen = selectors(options.publicOperations);
  const byKey = new Map(endpoints.map((e) => [endpointKey(e), e]));
  const open = unmarkedOpen(model).filter((key) => {
    const endpoint = byKey.get(key);
    return !endpoint || !chosen.some((s) => matchesSelector(endpoint, s));
  });
  const warnings: string[] = [];
  const kept = [...model.operations.keys()].map((k) => byKey.get(k)).filter((e): e is Endpoint => !!e);
  for (const s of chosen) {
    if (!kept.some((e) => matchesSelector(e, s))) warnings.push(`[api] public_operations: "${s.text}" names no operation that is generated`);
  }
  if (!open.length) return warnings;
  const line = `open to the internet (the spec gives them no security): ${listKeys(open)}`;
  if (options.strict) throw new UserError(`${options.location}: ${line} (--strict); ${OPEN_HINT}`);
  return [`${line}; ${OPEN_HINT}`, ...warnings];
}
