import { UserError, oneLine } from "../util/errors.js";
import { parseSpecText } from "./parse.js";
import { readSpecSource, type SpecSource } from "./read.js";
import { importPackage } from "../util/importPackage.js";

export interface LoadedSpec {
  doc: Record<string, unknown>;
  source: SpecSource;
  /** "3.0", "3.1" (or "2.0" before conversion). */
  version: string;
  /** Problems found while converting or loading that did not stop generation. */
  warnings: string[];
}

const QUOTES = new Set([0x22, 0x27]);
/** ASCII white space: tab, line breaks, space. */
const SPACES = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]);
const REF = "$ref";

/**
 * A cheap check for `$ref`s that leave the document (files or URLs): a `$ref` key whose value
 * does not start with `#`. Bytes are scanned as they are (`$ref`, quotes and colons are ASCII;
 * Buffer.indexOf finds the candidates), since a spec can hold tens of thousands of refs and
 * decoding a big one first would take longer than the scan.
 */
export function hasExternalRefs(document: string | Uint8Array): boolean {
  const text = typeof document === "string" ? document : Buffer.from(document.buffer, document.byteOffset, document.byteLength);
  const code = typeof text === "string" ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  for (let at = text.indexOf(REF); at !== -1; at = text.indexOf(REF, at + REF.length)) {
    let i = at + REF.length;
    if (QUOTES.has(code(i))) i++;
    while (SPACES.has(code(i))) i++;
    if (code(i) !== 0x3a) continue;
    i++;
    while (SPACES.has(code(i))) i++;
    if (QUOTES.has(code(i))) i++;
    if (i >= text.length) continue;
    const first = code(i);
    if (first !== 0x23 && !QUOTES.has(first) && !SPACES.has(first)) return true;
  }
  return false;
}

const externalRefs = new WeakMap<SpecSource, boolean>();

/** hasExternalRefs for a document read, scanned once however many stages ask. */
export function sourceHasExternalRefs(source: SpecSource): boolean {
  let found = externalRefs.get(source);
  if (found === undefined) {
    found = hasExternalRefs(source.bytes);
    externalRefs.set(source, found);
  }
  return found;
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
  if (sourceHasExternalRefs(source)) {
    doc = await bundleExternal(doc, source);
  }
  if (version === "2.0") {
    const { convertSwagger2 } = await import("./swagger2/index.js");
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
  const { default: SwaggerParser } = await importPackage<{ default: typeof import("@apidevtools/swagger-parser") }>("@apidevtools/swagger-parser");
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
