import { UserError, oneLine } from "../util/errors.js";
import { jsonParseFast } from "./jsonText.js";
import { refuseProtoKeys } from "./protoKeys.js";
import type { SpecSource } from "./read.js";

/** Parses JSON or YAML text into a plain object. */
export async function parseSpecText(source: SpecSource): Promise<Record<string, unknown>> {
  let doc = jsonParseFast(source.bytes);
  if (doc !== undefined) return checkTop(doc, source);
  const text = source.text.replace(/^\uFEFF/, "");
  if (text.trimStart().startsWith("{")) {
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new UserError(`${source.location}: invalid JSON: ${oneLine(err)}`);
    }
  } else {
    // js-yaml is loaded only for YAML documents.
    const { describeYamlProblem, parseYamlData, YamlDataError } = await import("../util/yamlData.js");
    try {
      doc = parseYamlData(text);
    } catch (err) {
      if (!(err instanceof YamlDataError)) throw err;
      throw new UserError(`${source.location}: ${describeYamlProblem(err.problem)}`);
    }
  }
  return checkTop(doc, source);
}

function checkTop(doc: unknown, source: SpecSource): Record<string, unknown> {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    throw new UserError(`${source.location}: not an OpenAPI document (expected a JSON or YAML object at the top)`);
  }
  refuseProtoKeys(doc, source.bytes, source.location);
  return doc as Record<string, unknown>;
}
