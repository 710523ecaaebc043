import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** A small spec with a Bearer and an API key scheme (Bearer is the one picofun picks). */
export function writeSecuredSpec(dir: string, name = "secured.yaml"): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `openapi: 3.0.3
info: { title: Secure Notes API, version: 2.0.0 }
servers: [{ url: "https://notes.example.com" }]
security: [{ apiKey: [] }, { bearer: [] }]
components:
  securitySchemes:
    apiKey: { type: apiKey, in: header, name: X-Api-Key }
    bearer: { type: http, scheme: bearer }
    implicit: { type: oauth2, flows: { implicit: { authorizationUrl: "https://x.example.com/a", scopes: {} } } }
paths:
  /notes:
    get: { operationId: listNotes, tags: [notes], responses: { "200": { description: ok } } }
    post: { operationId: createNote, tags: [notes], responses: { "201": { description: ok } } }
  /notes/{id}:
    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
    get: { operationId: getNote, tags: [notes], responses: { "200": { description: ok } } }
  /health:
    get: { tags: [ops], responses: { "200": { description: ok } } }
`,
  );
  return file;
}

/** A spec with `count` operations (for the search prompt used on large specs). */
export function writeLargeSpec(dir: string, count: number): string {
  const file = join(dir, "large.json");
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    paths[`/items${i}`] = { get: { operationId: `getItem${i}`, tags: [`group${i % 5}`], responses: { "200": { description: "ok" } } } };
  }
  writeFileSync(file, JSON.stringify({ openapi: "3.0.3", info: { title: "Large", version: "1" }, paths }));
  return file;
}
