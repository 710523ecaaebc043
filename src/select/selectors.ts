import { HTTP_METHODS, endpointKey, type Endpoint } from "../model/types.js";
import { UserError } from "../util/errors.js";
import { closest } from "../util/suggest.js";
import { pathMatcher } from "./match.js";

/**
 * What a user names endpoints with on the command line:
 * - an operationId: `getOrder`
 * - a method and a path exactly as in the spec: `"PUT /orders/{orderId}"`
 * - a path or a path glob (`*` one segment, `**` any number), optionally after a method:
 *   `/orders/**`, `"GET /orders/*"`
 * - `tag:NAME`: every operation with that tag (as `picofun init --endpoints` takes it)
 */
export type Selector =
  | { kind: "operationId"; text: string; operationId: string }
  | { kind: "tag"; text: string; tag: string }
  | { kind: "path"; text: string; method?: string; path: string; glob: boolean };

const METHOD_RE = new RegExp(`^(${HTTP_METHODS.join("|")})\\s+(\\S.*)$`, "i");

export function parseSelector(raw: string): Selector {
  const text = raw.trim();
  if (!text) throw new UserError("an empty endpoint selector was given");
  if (/^tag:/i.test(text)) {
    const tag = text.slice(4).trim();
    if (!tag) throw new UserError(`endpoint selector "${text}": name the tag, e.g. tag:orders`);
    return { kind: "tag", text, tag };
  }
  const withMethod = METHOD_RE.exec(text);
  const method = withMethod ? withMethod[1].toLowerCase() : undefined;
  const rest = withMethod ? withMethod[2].trim() : text;
  if (rest.startsWith("/")) {
    return { kind: "path", text, method, path: rest, glob: /[*?]/.test(rest) };
  }
  if (withMethod) {
    throw new UserError(`endpoint selector "${text}": the path after ${withMethod[1].toUpperCase()} must start with "/"`);
  }
  if (/\s/.test(text)) {
    throw new UserError(`endpoint selector "${text}" is neither an operationId nor "METHOD /path"`);
  }
  return { kind: "operationId", text, operationId: text };
}

/** True when a selector can name several endpoints at once (a glob, or a path without a method). */
export function isBroad(selector: Selector): boolean {
  return selector.kind === "tag" || (selector.kind === "path" && (selector.glob || !selector.method));
}

export function matchesSelector(endpoint: Endpoint, selector: Selector): boolean {
  if (selector.kind === "operationId") return endpoint.operationId === selector.operationId;
  if (selector.kind === "tag") return endpoint.tags.includes(selector.tag);
  if (selector.method && endpoint.method !== selector.method) return false;
  return pathMatcher(selector.path)(endpoint.path);
}

/** The closest names for a selector that matched nothing, best first. */
export function suggestionsFor(selector: Selector, endpoints: Endpoint[]): string[] {
  if (selector.kind === "operationId") {
    const ids = endpoints.map((e) => e.operationId).filter((id): id is string => !!id);
    const found = closest(selector.operationId, ids, 3);
    if (found.length) return found;
    return closest(selector.operationId, endpoints.map(endpointKey), 3);
  }
  if (selector.kind === "tag") {
    return closest(selector.tag, [...new Set(endpoints.flatMap((e) => e.tags))], 3).map((t) => `tag:${t}`);
  }
  if (selector.method) {
    return closest(`${selector.method.toUpperCase()} ${selector.path}`, endpoints.map(endpointKey), 3);
  }
  return closest(selector.path, [...new Set(endpoints.map((e) => e.path))], 3);
}

/** " (the spec's tags: a, b, c)" for a tag selector with no close match; lists at most 20. */
function knownTags(endpoints: Endpoint[]): string {
  const tags = [...new Set(endpoints.flatMap((e) => e.tags))].sort();
  if (!tags.length) return " (the spec tags no operation)";
  const more = tags.length > 20 ? `, and ${tags.length - 20} more` : "";
  return ` (the spec's tags: ${tags.slice(0, 20).join(", ")}${more})`;
}

/**
 * Resolves selectors against the spec's endpoints: every selector must match at least one.
 * The result keeps the spec's order and holds each endpoint once.
 */
export function resolveSelectors(raw: string[], endpoints: Endpoint[]): { selectors: Selector[]; matched: Endpoint[] } {
  const selectors = raw.map(parseSelector);
  const matched = new Set<Endpoint>();
  const unknown: string[] = [];
  for (const selector of selectors) {
    const hits = endpoints.filter((e) => matchesSelector(e, selector));
    if (!hits.length) {
      const near = suggestionsFor(selector, endpoints);
      const hint = near.length ? ` (closest: ${near.map((n) => `"${n}"`).join(", ")})` : selector.kind === "tag" ? knownTags(endpoints) : "";
      unknown.push(`"${selector.text}"${hint}`);
    }
    for (const hit of hits) matched.add(hit);
  }
  if (unknown.length) {
    throw new UserError(
      `no endpoint of the spec matches ${unknown.join("; ")}; run "picofun list endpoints" to see them all`,
    );
  }
  return { selectors, matched: endpoints.filter((e) => matched.has(e)) };
}
