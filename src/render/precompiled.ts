import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import { packageRoot } from "../util/paths.js";

/** One template as precompiled at build time (scripts/precompileTemplates.mjs). */
export interface PrecompiledTemplate {
  sha256: string;
  spec: unknown;
}

let table: Record<string, PrecompiledTemplate> | null | undefined;

/** The build's precompiled templates (dist/templates.cjs), or null when running from sources. */
function precompiledTable(): Record<string, PrecompiledTemplate> | null {
  if (table === undefined) {
    try {
      table = createRequire(import.meta.url)(join(packageRoot(), "dist", "templates.cjs")) as Record<string, PrecompiledTemplate>;
    } catch {
      table = null;
    }
  }
  return table;
}

/** The precompiled form of a bundled template, if the build has one made from exactly `source`. */
export function precompiledFor(name: string, source: string): unknown {
  const entry = precompiledTable()?.[name];
  if (!entry) return undefined;
  return createHash("sha256").update(source).digest("hex") === entry.sha256 ? entry.spec : undefined;
}
