import { loadYaml } from "../util/yaml.js";
import { UserError, oneLine } from "../util/errors.js";
import type { SpecSource } from "./read.js";

/** Parses JSON or YAML text into a plain object. */
export async function parseSpecText(source: SpecSource): Promise<Record<string, unknown>> {
  const text = source.text.replace(/^\uFEFF/, "");
  const trimmed = text.trimStart();
  let doc: unknown;
  if (trimmed.startsWith("{")) {
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new UserError(`${source.location}: invalid JSON: ${oneLine(err)}`);
    }
  } else {
    const { parseDocument } = await loadYaml();
    // `merge`: `<<: *anchor` merge keys are common in hand-written specs (YAML 1.1 style).
    const parsed = parseDocument(text, { uniqueKeys: false, prettyErrors: true, merge: true });
    if (parsed.errors.length) {
      const e = parsed.errors[0];
      const at = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
      if (/Maximum call stack/i.test(e.message)) throw new UserError(`${source.location}: the YAML is nested too deeply to read${at}`);
      throw new UserError(`${source.location}: invalid YAML${at}: ${e.message.split("\n")[0]}`);
    }
    try {
      doc = parsed.toJS({ maxAliasCount: 10_000 });
    } catch (err) {
      if (/alias count/i.test(oneLine(err))) {
        throw new UserError(`${source.location}: the YAML expands too many aliases (anchors); refused as a possible "billion laughs" document`);
      }
      throw new UserError(`${source.location}: cannot read YAML: ${oneLine(err)}`);
    }
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    throw new UserError(`${source.location}: not an OpenAPI document (expected a JSON or YAML object at the top)`);
  }
  return doc as Record<string, unknown>;
}
