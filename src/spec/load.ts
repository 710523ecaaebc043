import { UserError, oneLine } from "../util/errors.js";
import { parseSpecText } from "./parse.js";
import { readSpecSource, type SpecSource } from "./read.js";

export interface LoadedSpec {
  doc: Record<string, unknown>;
  source: SpecSource;
  /** "3.0", "3.1" (or "2.0" before conversion). */
  version: string;
  /** Problems found while converting or loading that did not stop generation. */
  warnings: string[];
}

/** A cheap textual check for `$ref`s that leave the document (files or URLs). */
export function hasExternalRefs(text: string): boolean {
  return /["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"'#][^\s"']*/.test(text);
}

/** Reads, parses and version-checks an OpenAPI document; external `$ref`s are bundled in. */
export async function loadSpec(location: string, cwd = process.cwd()): Promise<LoadedSpec> {
  return loadSpecSource(await readSpecSource(location, cwd));
}

/** The same, for a document already read. */
export async function loadSpecSource(source: SpecSource): Promise<LoadedSpec> {
  let doc = await parseSpecText(source);
  const warnings: string[] = [];
  let version = detectVersion(doc, source.location);
  // Bundle first: external files of a Swagger 2.0 document are 2.0 fragments too.
  if (hasExternalRefs(source.text)) {
    doc = await bundleExternal(doc, source);
  }
  if (version === "2.0") {
    const { convertSwagger2 } = await import("./swagger2.js");
    try {
      doc = convertSwagger2(doc, source.location, warnings);
    } catch (err) {
      if (err instanceof RangeError) throw new UserError(`${source.location}: the document is nested too deeply to convert`);
      throw err;
    }
    version = "3.0";
  }
  if (!doc.paths || typeof doc.paths !== "object") {
    const why = doc.webhooks && typeof doc.webhooks === "object" ? " (it only describes webhooks, which an API sends, not operations to call)" : "";
    throw new UserError(`${source.location}: the document has no "paths" object${why}`);
  }
  return { doc, source, version, warnings };
}

export function detectVersion(doc: Record<string, unknown>, where: string): string {
  const openapi = doc.openapi;
  if (typeof openapi === "string") {
    if (/^3\.0(\.\d+)?$/.test(openapi)) return "3.0";
    if (/^3\.1(\.\d+)?$/.test(openapi)) return "3.1";
    throw new UserError(`${where}: OpenAPI ${openapi} is not supported (use 3.0, 3.1 or Swagger 2.0)`);
  }
  if (doc.swagger === "2.0" || doc.swagger === 2) return "2.0";
  if (doc.swagger !== undefined) {
    throw new UserError(`${where}: Swagger ${String(doc.swagger)} is not supported (use 2.0 or OpenAPI 3)`);
  }
  throw new UserError(`${where}: not an OpenAPI document (no "openapi" or "swagger" version field)`);
}

async function bundleExternal(doc: Record<string, unknown>, source: SpecSource): Promise<Record<string, unknown>> {
  const { default: SwaggerParser } = await import("@apidevtools/swagger-parser");
  try {
    const parser = new SwaggerParser();
    // swagger-parser resolves relative refs against the path (or URL) it is given.
    // A document fetched from a URL may not pull in local files (it could copy /etc/passwd
    // into a description, and so into generated code); it can still refer to other URLs.
    const bundled = await parser.bundle(source.location, doc as never, {
      resolve: { external: true, ...(source.isUrl ? { file: false } : {}) },
    } as never);
    return bundled as unknown as Record<string, unknown>;
  } catch (err) {
    throw new UserError(`${source.location}: cannot resolve external $ref: ${oneLine(err)}`);
  }
}
