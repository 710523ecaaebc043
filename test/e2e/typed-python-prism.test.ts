import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPrismProxy, type PrismServer } from "../support/prism.js";
import { startServeCli, type ServeProcess } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";
import { ORDERS_PYTHON, ordersProject } from "../support/typedOrders.js";

// docs/api-mode.md's walkthrough: three operations of the orders example implemented in Python with
// a shared module (handlers/lib) and a dependency (handlers/requirements.txt), served by picofun
// serve behind Prism's validating proxy, which checks each request and each response against the spec.
describeWithTools("typed Python handlers behind Prism's validating proxy", ["python", "prism"], () => {
  let serve: ServeProcess;
  let prism: PrismServer;
  beforeAll(async () => {
    const dir = ordersProject("python", ORDERS_PYTHON);
    serve = await startServeCli(dir, ["--no-watch"], {}, 400_000);
    prism = await startPrismProxy(join(dir, "openapi.yaml"), serve.url);
  }, 600_000);
  afterAll(async () => {
    await prism?.stop();
    await serve?.stop();
  });

  const headers = { "X-Request-Id": "req-1", "Content-Type": "application/json" };

  it("creates, reads and lists orders; every answer fits the spec", async () => {
    const created = await fetch(`${prism.url}/orders`, { method: "POST", headers, body: JSON.stringify({ customer: "ada", items: [{ sku: "tea", quantity: 2 }] }) });
    expect(created.status, await created.clone().text()).toBe(201);
    const order = (await created.json()) as { id: string; status: string };
    expect(order).toMatchObject({ customer: "ada", status: "open" });
    const one = await fetch(`${prism.url}/orders/${order.id}`, { headers });
    expect(one.status, await one.clone().text()).toBe(200);
    expect(await one.json()).toEqual(order);
    const list = await fetch(`${prism.url}/orders?status=open&limit=10`, { headers });
    expect(list.status, await list.clone().text()).toBe(200);
    expect(await list.json()).toContainEqual(order);
    const none = await fetch(`${prism.url}/orders?status=shipped`, { headers });
    expect(await none.json()).toEqual([]);
  });

  it("answers the spec's 404 with its Problem body", async () => {
    const missing = await fetch(`${prism.url}/orders/o-none`, { headers });
    expect(missing.status, await missing.clone().text()).toBe(404);
    expect(await missing.json()).toEqual({ title: "no order o-none", status: 404 });
  });

  it("an operation not implemented yet answers 501 (asked directly: Prism's proxy mocks an upstream 501)", async () => {
    const res = await fetch(`${serve.url}/orders/o-1`, { method: "DELETE" });
    expect(res.status).toBe(501);
    expect(await res.json()).toEqual({ operation: "cancelOrder", received: { order_id: "o-1" } });
  });
});
