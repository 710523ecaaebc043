import { megabytes, readBounded } from "../util/boundedRead.js";
import { UserError, oneLine } from "../util/errors.js";
import { terminalSafe } from "../util/terminalText.js";

/** Far more than any real allowlist (GitHub's 1,000 operations listed one a line are under 100 KB). */
export const MAX_ALLOWLIST_BYTES = 4 * 1024 * 1024;

export interface PathRule {
  path: string;
  /** Lower-case methods; empty means every method. */
  methods: string[];
}

export interface Allowlist {
  file: string;
  paths: PathRule[];
  operationIds: string[];
  tags: string[];
}

const KNOWN = ["paths", "operationIds", "tags"];

/** The text of an include-endpoints file, read no further than MAX_ALLOWLIST_BYTES; one line when it cannot be. */
export function readAllowlistText(file: string): string {
  let bytes: Buffer | undefined;
  try {
    bytes = readBounded(file, MAX_ALLOWLIST_BYTES);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
    throw new UserError(missing ? `include_endpoints file not found: ${terminalSafe(file)}` : `cannot read ${terminalSafe(file)}: ${oneLine(err)}`);
  }
  if (!bytes) {
    throw new UserError(`${terminalSafe(file)} holds more than ${megabytes(MAX_ALLOWLIST_BYTES)}: an include_endpoints allowlist is a short list of paths, operationIds and tags`);
  }
  return bytes.toString("utf8");
}

/** Reads and checks an include-endpoints YAML file. */
export async function loadAllowlist(file: string): Promise<Allowlist> {
  const text = readAllowlistText(file);
  const { describeYamlProblem, parseYamlData, YamlDataError } = await import("../util/yamlData.js");
  let data: unknown;
  try {
    data = parseYamlData(text);
  } catch (err) {
    if (!(err instanceof YamlDataError)) throw err;
    throw new UserError(`${file}: ${describeYamlProblem(err.problem)}`);
  }
  return parseAllowlist(data, file);
}

export function parseAllowlist(data: unknown, file: string): Allowlist {
  if (data === null || data === undefined) {
    throw new UserError(`${file}: the allowlist is empty; list paths, operationIds or tags (or remove include_endpoints)`);
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new UserError(`${file}: expected a mapping with "paths", "operationIds" and/or "tags"`);
  }
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KNOWN.includes(key)) {
      throw new UserError(`${file}: unknown key "${key}" (allowed: ${KNOWN.join(", ")})`);
    }
  }
  const list = (key: string): unknown[] => {
    const v = obj[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new UserError(`${file}: "${key}" must be a list`);
    return v;
  };
  const strings = (key: string): string[] =>
    list(key).map((v, i) => {
      if (typeof v !== "string" || !v) throw new UserError(`${file}: ${key}[${i}] must be a non-empty string`);
      return v;
    });
  const paths = list("paths").map((v, i): PathRule => {
    if (typeof v === "string") return { path: v, methods: [] };
    if (!v || typeof v !== "object" || typeof (v as { path?: unknown }).path !== "string") {
      throw new UserError(`${file}: paths[${i}] needs a "path" (e.g. - path: /users/*)`);
    }
    const rule = v as { path: string; methods?: unknown };
    if (!rule.path.startsWith("/")) throw new UserError(`${file}: paths[${i}].path must start with "/", got "${rule.path}"`);
    let methods: string[] = [];
    if (rule.methods !== undefined) {
      if (!Array.isArray(rule.methods) || rule.methods.some((m) => typeof m !== "string")) {
        throw new UserError(`${file}: paths[${i}].methods must be a list like [get, post]`);
      }
      methods = (rule.methods as string[]).map((m) => m.toLowerCase());
    }
    return { path: rule.path, methods };
  });
  const allow: Allowlist = { file, paths, operationIds: strings("operationIds"), tags: strings("tags") };
  if (!allow.paths.length && !allow.operationIds.length && !allow.tags.length) {
    throw new UserError(`${file}: the allowlist is empty; list paths, operationIds or tags (or remove include_endpoints)`);
  }
  return allow;
}
