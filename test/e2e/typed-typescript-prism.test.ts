import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, REQUIRE_E2E } from "../support/env.js";
import { npmRegistryMissing } from "../support/npmRegistry.js";
import { startPrismProxy, type PrismServer } from "../support/prism.js";
import { startServeCli, type ServeProcess } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";
import { ordersProject } from "../support/typedOrders.js";

// docs/api-mode.md's walkthrough in TypeScript: three operations with a shared module (handlers/lib)
// and a dependency (nanoid, from handlers/package.json), behind Prism's validating proxy.
// picofun installs handlers/package.json for Lambda: the npm registry is needed too.
const offline = npmRegistryMissing();
if (offline && !REQUIRE_E2E) console.warn(`[skip] typed TypeScript handlers behind Prism: ${offline}`);
const describeIt = offline && !REQUIRE_E2E ? (name: string, _tools: unknown, body: () => void) => describe.skip(name, body) : describeWithTools;
describeIt("typed TypeScript handlers behind Prism's validating proxy", ["prism"], () => {
  let serve: ServeProcess;
  let prism: PrismServer;
  let dir: string;
  beforeAll(async () => {
    dir = ordersProject("typescript", join(REPO, "examples", "orders", "typed", "typescript"));
    // The user's own "npm install" in handlers/, for tsc (picofun bundles its own install for Lambda).
    mkdirSync(join(dir, "handlers", "node_modules"));
    cpSync(join(REPO, "node_modules", "nanoid"), join(dir, "handlers", "node_modules", "nanoid"), { recursive: true, dereference: true });
    serve = await startServeCli(dir, ["--no-watch"], {}, 120_000);
    prism = await startPrismProxy(join(dir, "openapi.yaml"), serve.url);
  }, 300_000);
  afterAll(async () => {
    await prism?.stop();
    await serve?.stop();
  });

  const headers = { "X-Request-Id": "req-1", "Content-Type": "application/json" };

  it("creates, reads and lists orders; every answer fits the spec", async () => {
    const created = await fetch(`${prism.url}/orders`, { method: "POST", headers, body: JSON.stringify({ customer: "ada", items: [{ sku: "tea", quantity: 2 }] }) });
    expect(created.status, await created.clone().text()).toBe(201);
    const order = (await created.json()) as { id: string };
    expect(order).toMatchObject({ customer: "ada", status: "open" });
    const one = await fetch(`${prism.url}/orders/${order.id}`, { headers });
    expect(one.status, await one.clone().text()).toBe(200);
    expect(await one.json()).toEqual(order);
    const list = await fetch(`${prism.url}/orders?status=open&limit=10`, { headers });
    expect(list.status, await list.clone().text()).toBe(200);
    expect(await list.json()).toContainEqual(order);
  });

  it("the implemented handlers pass tsc --strict", () => {
    execFileSync(join(REPO, "node_modules", ".bin", "tsc"), ["-p", join(dir, "handlers")], { stdio: "pipe" });
  });

  it("answers the spec's 404 with its Problem body", async () => {
    const missing = await fetch(`${prism.url}/orders/o-none`, { headers });
    expect(missing.status, await missing.clone().text()).toBe(404);
    expect(await missing.json()).toEqual({ title: "no order o-none", status: 404 });
  });
});
