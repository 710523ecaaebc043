import { endpointKey, type ApiModel, type Endpoint } from "../model/types.js";
import { matchesSelector, parseSelector } from "../select/selectors.js";
import type { WizardContext } from "./context.js";
import { terminalSafe } from "../util/terminalText.js";

/** What Enter on a line of the endpoint search does. */
export type SearchAction = { add: Endpoint[] } | { untick: Endpoint } | "done";

const METHOD_PATH = /^(get|put|post|delete|options|head|patch|trace)\s+\//i;

/** A query that reads as a command-line selector (tag:NAME, a path glob, "METHOD /path") selects like one. */
export function selectorMatches(term: string, endpoints: Endpoint[]): Endpoint[] | undefined {
  if (!/^tag:.+/i.test(term) && !term.includes("*") && !METHOD_PATH.test(term)) return undefined;
  try {
    const selector = parseSelector(term);
    return endpoints.filter((e) => matchesSelector(e, selector));
  } catch {
    return [];
  }
}

function label(e: Endpoint): string {
  return terminalSafe(e.operationId ? `${endpointKey(e)}  (${e.operationId})` : endpointKey(e));
}

function summary(e: Endpoint): string | undefined {
  return e.summary === undefined ? undefined : terminalSafe(e.summary);
}

function haystack(e: Endpoint): string {
  return `${endpointKey(e)} ${e.operationId ?? ""} ${e.summary ?? ""} ${e.tags.join(" ")}`.toLowerCase();
}

export interface SearchLine {
  value: SearchAction;
  name: string;
  description?: string;
}

/**
 * The lines shown for a query. With a query the matches come first, so Enter adds the top one
 * (a selector query offers all its matches as one line first); "Done" is last. Without one,
 * "Done" leads, then the picked endpoints (Enter unticks one), then the rest.
 */
export function searchLines(model: ApiModel, picked: Endpoint[], rawTerm: string | undefined): SearchLine[] {
  const term = (rawTerm ?? "").trim();
  const chosen = new Set(picked);
  const done: SearchLine[] = picked.length ? [{ value: "done", name: `Done (${picked.length} picked)` }] : [];
  const untick = (e: Endpoint): SearchLine => ({ value: { untick: e }, name: `✓ ${label(e)}  (Enter unticks)`, description: summary(e) });
  const add = (e: Endpoint): SearchLine => ({ value: { add: [e] }, name: label(e), description: summary(e) });
  if (!term) {
    return [...done, ...picked.map(untick), ...model.endpoints.filter((e) => !chosen.has(e)).slice(0, 200).map(add)];
  }
  const bySelector = selectorMatches(term, model.endpoints);
  const hits = bySelector ?? model.endpoints.filter((e) => haystack(e).includes(term.toLowerCase()));
  const fresh = hits.filter((e) => !chosen.has(e));
  const lines: SearchLine[] = [];
  if (bySelector && fresh.length > 1) lines.push({ value: { add: fresh }, name: `add all ${fresh.length} matching ${term}` });
  lines.push(...fresh.slice(0, 200).map(add), ...hits.filter((e) => chosen.has(e)).map(untick));
  return [...lines, ...done];
}

/** The search step for big specs: one prompt line, rewritten after every pick, until Done. */
export async function pickBySearch(ctx: WizardContext, model: ApiModel): Promise<Endpoint[]> {
  let picked: Endpoint[] = [];
  for (;;) {
    const action = await ctx.p.search<SearchAction>(
      {
        message: `Search endpoints to add, or tag:NAME / a path glob (${picked.length} of ${model.endpoints.length} picked):`,
        pageSize: 12,
        source: (term) => searchLines(model, picked, term),
      },
      { clearPromptOnDone: true },
    );
    if (action === "done") return picked;
    if ("untick" in action) picked = picked.filter((e) => e !== action.untick);
    else picked = [...picked, ...action.add.filter((e) => !picked.includes(e))];
  }
}
