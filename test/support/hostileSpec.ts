/**
 * Hostile text for every text field of an OpenAPI document (fast-check arbitraries), and the
 * document built from it. Every piece carries the canary next to something that would end a
 * string, comment or template in one of the languages picofun writes.
 */
import fc from "fast-check";
import { CANARY } from "./codeScan.js";
import { wellFormed } from "./random.js";

/** Line ends of every language written (LF, CR, NEL, LS, PS, FF, VT, FS/GS/RS), quotes, comment and template ends. */
export const BREAKERS = [
  "\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\f", "\v", "\x1c", "\x1d", "\x1e", "\0", "\x1b[2J", "\x7f", "\t",
  '"', "'", "`", '"""', "'''", "\\", "\\\\", "\\u2028", "\\n", "*/", "/*", "//", "#", "-->", "<!--", "--!>", "]]>", "</script>",
  "${", "%{", "$${", "%%{", "}", "{", "}}", "{{", "{{{", "#{", "|", "[", "]", "(", ")", ";", ":", "- ", "? ", "&", "*",
  "%%", "%%{init: {'securityLevel': 'loose'}}%%", "#quot;", "&lt;", "\u202e", "\u2066", "\u200b", "\ufeff", "\u061c",
  "\ud800", "\udfff", "\ud83d\ude00", "e\u0301", "中文",
];

/** The canary as code in each language: a call, an HCL interpolation and directive, a JS template expression. */
export const CANARY_CODE = [
  `${CANARY}()`,
  `\${${CANARY}("/etc/passwd")}`,
  `\${file("/etc/passwd")}${CANARY}`,
  `%{ if ${CANARY} }x%{ endif }`,
  `" + ${CANARY} + "`,
  `' + ${CANARY} + '`,
  `\`\${${CANARY}}\``,
  `\n${CANARY}\n`,
  `\u2028${CANARY}()\u2028`,
  `\r${CANARY}()\r`,
];

/** One hostile text: fragments around at least one canary piece. */
export function hostileText(maxParts = 6): fc.Arbitrary<string> {
  const fragment = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...BREAKERS) },
    { weight: 3, arbitrary: fc.constantFrom(...CANARY_CODE) },
    { weight: 2, arbitrary: fc.string({ maxLength: 4, unit: "binary" }) },
  );
  return fc
    .tuple(fc.array(fragment, { maxLength: maxParts }), fc.constantFrom(...CANARY_CODE), fc.array(fragment, { maxLength: maxParts }))
    .map(([a, c, b]) => [...a, c, ...b].join(""));
}

/** Text that fits where a format or API Gateway restricts the characters (URL paths, parameter names): ASCII punctuation and the canary. */
export function hostileWord(): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom('"', "'", "`", "\\", "$", "%", "*", "(", ")", ";", "=", "+", "!", "<", ">", "~", "@", ",", "&", "^", "|", "[", "]"), { maxLength: 5 })
    .map((p) => `${p.join("")}${CANARY}${[...p].reverse().join("")}`);
}

export interface Texts {
  title: string;
  description: string;
  version: string;
  serverPath: string;
  operationId: string;
  summary: string;
  opDescription: string;
  tag: string;
  paramDescription: string;
  enumValue: string;
  example: string;
  bodyDescription: string;
  property: string;
  propertyDescription: string;
  schemaName: string;
  responseDescription: string;
  schemeName: string;
  schemeDescription: string;
  pathWord: string;
  paramWord: string;
}

export function hostileTexts(): fc.Arbitrary<Texts> {
  const t = hostileText();
  return fc.record({
    title: t,
    description: t,
    version: t,
    serverPath: hostileWord(),
    operationId: t,
    summary: t,
    opDescription: t,
    tag: t,
    paramDescription: t,
    enumValue: t,
    example: t,
    bodyDescription: t,
    property: t,
    propertyDescription: t,
    schemaName: t,
    responseDescription: t,
    schemeName: t,
    schemeDescription: t,
    pathWord: hostileWord(),
    paramWord: hostileWord(),
  });
}

/**
 * The document: `free` puts hostile text in paths and parameter names too (the client kind takes
 * any); without it those hold only what API Gateway accepts (the api kind refuses the rest).
 */
export function hostileSpec(t: Texts, free: boolean): Record<string, unknown> {
  // A $ref is a URI: its pointer escaped (~0 ~1), then percent-encoded (which needs well-formed text).
  const pointer = (name: string) => encodeURIComponent(name.replace(/~/g, "~0").replace(/\//g, "~1"));
  const word = (s: string) => (free ? s : s.replace(/[^A-Za-z0-9_]/g, "") || "w");
  const segment = free ? encodeURIComponent(t.pathWord).replace(/%24/g, "$").replace(/%25/g, "%") : word(t.pathWord);
  const queryName = free ? t.paramWord : `q.${word(t.paramWord)}$-`;
  const headerName = free ? `X-${t.paramWord}` : `X-${word(t.paramWord)}`;
  const schemaName = wellFormed(t.schemaName);
  const schemeName = free ? t.schemeName : word(t.schemeName);
  return {
    openapi: "3.0.3",
    info: { title: t.title, description: t.description, version: t.version },
    servers: [{ url: `https://api.example.com/${t.serverPath.replace(/[?#]/g, "")}`, description: t.description }],
    tags: [{ name: t.tag, description: t.description }],
    paths: {
      [`/items/{id}/${segment}`]: {
        get: {
          operationId: t.operationId,
          summary: t.summary,
          description: t.opDescription,
          tags: [t.tag],
          security: [{ [schemeName]: [] }],
          parameters: [
            { name: "id", in: "path", required: true, description: t.paramDescription, schema: { type: "string", example: t.example } },
            { name: queryName, in: "query", description: t.paramDescription, schema: { type: "string", enum: [t.enumValue, "plain"], default: "plain" } },
            { name: headerName, in: "header", description: t.paramDescription, schema: { type: "string" }, example: t.example },
          ],
          responses: {
            "200": { description: t.responseDescription, content: { "application/json": { schema: { $ref: `#/components/schemas/${pointer(schemaName)}` } } } },
            "404": { description: t.responseDescription },
          },
        },
      },
      "/items": {
        post: {
          ...(free ? { security: [{ [`${schemeName}-oauth`]: [t.tag] }] } : {}),
          summary: t.summary,
          description: t.opDescription,
          tags: [t.tag],
          requestBody: {
            description: t.bodyDescription,
            required: true,
            content: { "application/json": { schema: { $ref: `#/components/schemas/${pointer(schemaName)}` }, example: { [t.property]: t.example } } },
          },
          responses: { "201": { description: t.responseDescription } },
        },
      },
    },
    components: {
      schemas: {
        [schemaName]: {
          type: "object",
          description: t.propertyDescription,
          properties: { [t.property]: { type: "string", description: t.propertyDescription, enum: [t.enumValue], example: t.enumValue } },
          required: [t.property],
        },
      },
      securitySchemes: {
        [schemeName]: { type: "apiKey", in: "header", name: free ? `X-Key-${t.paramWord}` : "X-Api-Key", description: t.schemeDescription },
        // The client kind fetches tokens itself (API Gateway cannot enforce OAuth2: the api kind would refuse it).
        ...(free
          ? {
              [`${schemeName}-oauth`]: {
                type: "oauth2",
                description: t.schemeDescription,
                flows: { clientCredentials: { tokenUrl: `https://auth.example.com/${t.serverPath.replace(/[?#]/g, "")}`, scopes: { [t.tag]: t.description } } },
              },
            }
          : {}),
      },
    },
  };
}
