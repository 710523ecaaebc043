import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { startPrismProxy, type PrismServer } from "../support/prism.js";
import { startServeCli, type ServeProcess } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";

const SPEC = join(REPO, "test", "fixtures", "api", "serve.yaml");

describeWithTools("Prism in proxy mode in front of picofun serve: requests and responses validated against the spec", ["python", "prism"], () => {
  let dir: string;
  let serve: ServeProcess;
  let prism: PrismServer;
  beforeAll(async () => {
    dir = tempProject();
    copyFileSync(SPEC, join(dir, "serve.yaml"));
    writeFileSync(join(dir, "picofun.toml"), 'namespace = "shop"\nspec = "serve.yaml"\nkind = "api"\n');
    mkdirSync(join(dir, "handlers"));
    const json = (status: number, body: string) => `import json\n\ndef handler(event, context):\n    return {"statusCode": ${status}, "headers": {"Content-Type": "application/json"}, "body": json.dumps(${body})}\n`;
    writeFileSync(join(dir, "handlers", "listItems.py"), json(200, '[{"id": "i-1", "name": "first"}]'));
    writeFileSync(join(dir, "handlers", "getItem.py"), json(200, '{"id": event["pathParameters"]["itemId"], "name": "found"}'));
    // Breaks the spec on purpose: an Item needs a name.
    writeFileSync(join(dir, "handlers", "createItem.py"), json(201, '{"id": "no-name"}'));
    serve = await startServeCli(dir, ["--no-watch"]);
    prism = await startPrismProxy(join(dir, "serve.yaml"), serve.url);
  }, 120_000);
  afterAll(async () => {
    await prism?.stop();
    await serve?.stop();
  });

  it("answers 200 through Prism for handlers that implement their operations", async () => {
    const list = await fetch(`${prism.url}/items?tag=x`);
    expect(list.status, await list.clone().text()).toBe(200);
    expect(await list.json()).toEqual([{ id: "i-1", name: "first" }]);
    const one = await fetch(`${prism.url}/items/i-5`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ id: "i-5", name: "found" });
    await serve.waitFor(/GET \/items\/i-5 200/);
  });

  it("Prism reports a response that breaks the spec", async () => {
    const res = await fetch(`${prism.url}/items`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "n" }) });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(await res.text()).toMatch(/name/);
  });

  it("an invalid request is refused before it reaches serve", async () => {
    // serve logs a request after answering it: wait for the previous test's line, or it may land after `before`.
    await serve.waitFor(/POST \/items 201/);
    const before = serve.log().length;
    const res = await fetch(`${prism.url}/items`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ id: "x" }) });
    expect(res.status).toBe(422);
    expect(serve.log().slice(before)).not.toMatch(/POST \/items/);
  });
});
