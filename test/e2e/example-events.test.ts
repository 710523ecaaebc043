import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Lexer, type Tokens } from "marked";
import { afterAll, beforeAll, expect, it } from "vitest";
import { json, startLoopback, type LoopbackServer } from "../support/authServers.js";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { invokeHandler } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";

const ALERTS = join(REPO, "test", "fixtures", "swagger2", "alerts.yaml");

/** The README's example event of each function, by function name. */
function readmeEvents(readme: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  let heading = "";
  for (const token of new Lexer().lex(readme)) {
    if (token.type === "heading") heading = (token as Tokens.Heading).text;
    if (token.type !== "table" || heading !== "Functions") continue;
    for (const row of (token as Tokens.Table).rows) out.set(row[0].text.replace(/`/g, ""), JSON.parse(row[2].text.replace(/^`|`$/g, "")));
  }
  return out;
}

describeWithTools("example events (README and picofun events) that a strict server accepts", ["python"], () => {
  let server: LoopbackServer;
  let dir: string;
  beforeAll(async () => {
    // Refuses what real servers refuse: placeholder text, a boolean turned off against its default, a body that is not an array.
    server = await startLoopback((req, res) => {
      const url = new URL(req.url, "http://x");
      if (req.method === "GET" && url.pathname === "/api/v2/alerts") {
        const bad = [...url.searchParams.values()].some((v) => v.startsWith("<")) || url.searchParams.get("active") !== "true";
        return json(res, bad ? 400 : 200, bad ? { error: "bad query" } : []);
      }
      if (req.method === "POST" && url.pathname === "/api/v2/alerts") {
        const body = JSON.parse(req.body || "null");
        const ok = Array.isArray(body) && body.length > 0 && body.every((a) => a && typeof a.labels === "object" && !Array.isArray(a.labels));
        return json(res, ok ? 200 : 400, ok ? {} : { error: "alerts must be an array of alerts with labels" });
      }
      json(res, 404, {});
    });
    dir = tempProject();
    copyFileSync(ALERTS, join(dir, "alerts.yaml"));
    writeFileSync(join(dir, "picofun.toml"), 'namespace = "am"\nspec = "alerts.yaml"\n');
    const gen = await runCli(["generate", "--server-url", server.url], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
  });
  afterAll(() => server?.stop());

  it("the README shows defaults and schema-made values, arrays as arrays, and the server accepts them", async () => {
    const events = readmeEvents(readFileSync(join(dir, "output", "README.md"), "utf8"));
    const get = events.get("am_get_alerts")!;
    expect(get).toEqual({ query: { active: true, silenced: true, filter: ["filter-1"], receiver: "receiver-1" } });
    const post = events.get("am_post_alerts")!;
    expect(Array.isArray(post.payload)).toBe(true);
    for (const [module, event] of [["get_alerts", get], ["post_alerts", post]] as const) {
      const r = await invokeHandler(join(dir, "output"), module, event);
      expect(r.ok, `${module}: ${JSON.stringify(r)}`).toBe(true);
    }
    expect(server.seen.map((s) => s.method)).toEqual(["GET", "POST"]);
  });

  it("picofun events writes the README's events", async () => {
    const res = await runCli(["events"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const events = readmeEvents(readFileSync(join(dir, "output", "README.md"), "utf8"));
    for (const [fn, event] of events) {
      const module = fn.replace(/^am_/, "");
      expect(JSON.parse(readFileSync(join(dir, "events", `${module}.json`), "utf8")), module).toEqual(event);
    }
  });
});
