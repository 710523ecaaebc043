import { createServer, type Server } from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { invokeHandler } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";
import { startSsm, type SsmStandIn } from "../support/ssm.js";

const OAUTH = "/picorun/gapi/credentials-oauth2";
const SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/** Shaped like Google's discovery-converted specs: two flows of one provider required together on every operation. */
function googleStyleSpec(api: string): Record<string, unknown> {
  const auth = "https://accounts.google.com/o/oauth2/auth";
  return {
    openapi: "3.0.0",
    info: { title: "Example Google-style API", version: "v1" },
    servers: [{ url: api }],
    components: {
      securitySchemes: {
        Oauth2: { type: "oauth2", description: "Oauth 2.0 implicit authentication", flows: { implicit: { authorizationUrl: auth, scopes: { [SCOPE]: "all" } } } },
        Oauth2c: {
          type: "oauth2",
          description: "Oauth 2.0 authorizationCode authentication",
          flows: { authorizationCode: { authorizationUrl: auth, tokenUrl: "https://accounts.google.com/o/oauth2/token", scopes: { [SCOPE]: "all" } } },
        },
      },
    },
    paths: {
      "/v1/projects/{project}/things": {
        get: {
          operationId: "things.list",
          parameters: [{ name: "project", in: "path", required: true, schema: { type: "string" } }],
          // As Google's specs write it: two alternatives, each the pair of flows with one scope.
          security: [
            { Oauth2: [SCOPE], Oauth2c: [SCOPE] },
            { Oauth2: [`${SCOPE}.read-only`], Oauth2c: [`${SCOPE}.read-only`] },
          ],
          responses: { "200": { description: "ok" } },
        },
      },
    },
  };
}

describeWithTools("OAuth2 schemes of one provider required together (Google: Oauth2 AND Oauth2c)", ["python"], () => {
  let ssm: SsmStandIn;
  let api: Server;
  let apiUrl: string;
  const seen: Array<{ url: string; raw: string[] }> = [];
  beforeAll(async () => {
    ssm = await startSsm();
    api = createServer((req, res) => {
      seen.push({ url: req.url ?? "", raw: req.rawHeaders });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end("{}");
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", () => r()));
    apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await ssm?.stop();
    api?.closeAllConnections();
    api?.close();
  });

  it("generates (with a notice) and sends one Authorization header with the one access token", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "google.json"), JSON.stringify(googleStyleSpec(apiUrl)));
    const gen = await runCli(["gapi", "google.json"], { cwd: dir });
    expect(gen.stderr).toBe("");
    expect(gen.code).toBe(0);
    expect(gen.stdout).toContain("Oauth2c and Oauth2 are required together: each is an OAuth2 access token from one provider in the Authorization header");
    expect(gen.stdout).not.toMatch(/both would set/);
    // One OAuth2 scheme is left, so its parameter is the plain shape the summary shows.
    expect(gen.stdout).toContain("credentials-oauth2");
    ssm.set(OAUTH, JSON.stringify({ access_token: "ya29.one-token" }));
    const r = await invokeHandler(join(dir, "output"), "get_v1_projects_project_things", { path: { project: "p-1" } }, ssm.env());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe("/v1/projects/p-1/things");
    const values = seen[0].raw.flatMap((v, i) => (i % 2 === 0 && v.toLowerCase() === "authorization" ? [seen[0].raw[i + 1]] : []));
    expect(values).toEqual(["Bearer ya29.one-token"]);
  });
});
