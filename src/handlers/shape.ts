/** Which kind of stub a handler file is: picofun's typed `handle(request)` or an untyped `handler(event, context)`. */
import { readFileSync } from "node:fs";

export type StubShape = "missing" | "typed" | "legacy";

const LEGACY_PY = /^(?:async\s+)?def\s+handler\s*\(/m;
const TYPED_PY = /^(?:async\s+)?def\s+handle\s*\(/m;

export function pythonStubShape(file: string): StubShape {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return "missing";
  }
  return LEGACY_PY.test(text) && !TYPED_PY.test(text) ? "legacy" : "typed";
}
