import jsYaml from "js-yaml";

/**
 * Reading YAML into plain data (specs, allowlists) with js-yaml: about ten times faster than the
 * `yaml` package, which picofun keeps for edits that must preserve comments.
 *
 * Schema: YAML 1.2 core (so `2024-01-01` stays a string, as in a JSON spec) plus `<<` merge
 * keys, which hand-written specs use. Duplicate keys are allowed, the last one wins.
 */
const { merge } = (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types;
const SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [merge] });

/** Deeper than any real document; js-yaml recurses per level, so this also keeps the stack safe. */
const MAX_DEPTH = 1_000;

/** Aliases may multiply a document this many times (and beyond a small floor) before it is refused. */
const MAX_EXPANSION = 10;
const EXPANSION_FLOOR = 100_000;

export type YamlProblem =
  | { kind: "syntax"; message: string; line?: number; column?: number }
  | { kind: "deep"; line?: number; column?: number }
  | { kind: "aliases" }
  | { kind: "cycle" };

export class YamlDataError extends Error {
  constructor(readonly problem: YamlProblem) {
    super(problem.kind === "syntax" ? problem.message : problem.kind);
  }
}

/** The problem as the rest of an error line ("invalid YAML (line 3, column 1): ..."). */
export function describeYamlProblem(problem: YamlProblem): string {
  const at = "line" in problem && problem.line !== undefined ? ` (line ${problem.line}, column ${problem.column})` : "";
  switch (problem.kind) {
    case "syntax":
      return `invalid YAML${at}: ${problem.message}`;
    case "deep":
      return `the YAML is nested too deeply to read${at}`;
    case "aliases":
      return 'the YAML expands too many aliases (anchors); refused as a possible "billion laughs" document';
    case "cycle":
      return "the YAML has an anchor that contains an alias to itself";
  }
}

/** Parses YAML text into plain data; every failure is a YamlDataError. */
export function parseYamlData(text: string): unknown {
  let data: unknown;
  try {
    data = jsYaml.load(text, { schema: SCHEMA, json: true, maxDepth: MAX_DEPTH } as jsYaml.LoadOptions);
  } catch (err) {
    if (err instanceof RangeError) throw new YamlDataError({ kind: "deep" });
    const e = err as jsYaml.YAMLException;
    const at = e.mark ? { line: e.mark.line + 1, column: e.mark.column + 1 } : {};
    if (/exceeded maxDepth/.test(e.reason ?? "")) throw new YamlDataError({ kind: "deep", ...at });
    throw new YamlDataError({ kind: "syntax", message: e.reason ?? String(e.message ?? err).split("\n")[0], ...at });
  }
  if (mayHaveAliases(text)) checkExpansion(data);
  return data;
}

/** An alias is `*name` after a space, a flow indicator or the start of a line. */
function mayHaveAliases(text: string): boolean {
  return /(?:^|[\s,[{])\*[^\s,[\]{}]/.test(text);
}

/**
 * js-yaml shares one object for an anchor and its aliases, so parsing stays cheap, but anything
 * walking the result sees every alias expanded. Counts the expanded size (memoised per shared
 * object, so the count itself is linear) and refuses "billion laughs" documents and anchors
 * that contain their own alias.
 */
function checkExpansion(root: unknown): void {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  let walked = 0;
  const size = (value: unknown): number => {
    if (value === null || typeof value !== "object") {
      walked++;
      return 1;
    }
    const known = sizes.get(value);
    if (known !== undefined) return known;
    if (open.has(value)) throw new YamlDataError({ kind: "cycle" });
    open.add(value);
    walked++;
    let total = 1;
    for (const child of Array.isArray(value) ? value : Object.values(value)) total += size(child);
    open.delete(value);
    sizes.set(value, total);
    return total;
  };
  const expanded = size(root);
  if (expanded > EXPANSION_FLOOR && expanded > MAX_EXPANSION * walked) throw new YamlDataError({ kind: "aliases" });
}
