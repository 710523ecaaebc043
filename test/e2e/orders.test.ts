import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { startPrism, type PrismServer } from "../support/prism.js";
import { invokeHandler, runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";

describeWithTools("generated handlers against Prism (orders example)", ["python", "prism"], () => {
  let prism: PrismServer;
  let out: string;

  beforeAll(async () => {
    prism = await startPrism(ORDERS_SPEC);
    const dir = tempProject();
    out = join(dir, "output");
    const res = await runCli(["orders", ORDERS_SPEC, "--server-url", prism.url, "--output-dir", out], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/6 functions for Orders API/);
  });

  afterAll(async () => {
    await prism?.stop();
  });

  const headers = { "X-Request-Id": "req-1" };

  it("GET with a query array and a header parameter gets the documented 200", async () => {
    const r = await invokeHandler(out, "get_orders", { query: { status: ["open", "shipped"], limit: 5 }, headers });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.result!.statusCode).toBe(200);
    expect(Array.isArray(r.result!.body)).toBe(true);
    expect((r.result!.body as Array<{ status: string }>)[0].status).toMatch(/open|shipped|cancelled/);
    expect(r.result!.headers["content-type"]).toMatch(/application\/json/);
  });

  it("POST with a JSON body gets 201", async () => {
    const r = await invokeHandler(out, "post_orders", { payload: { customer: "c-1", items: [{ sku: "sku-1", quantity: 2 }] } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.result!.statusCode).toBe(201);
    expect(r.result!.body).toMatchObject({ id: expect.any(String) });
  });

  it("a path parameter on the path item, and DELETE with no body, get their 2xx", async () => {
    const get = await invokeHandler(out, "get_orders_orderId", { path: { orderId: "o-42" }, headers });
    expect(get.ok, JSON.stringify(get)).toBe(true);
    expect(get.result!.statusCode).toBe(200);
    const del = await invokeHandler(out, "delete_orders_orderId", { path: { orderId: "o-42" } });
    expect(del.ok, JSON.stringify(del)).toBe(true);
    expect(del.result!.statusCode).toBe(204);
    expect(del.result!.body).toBeNull();
  });

  it("a dashed path segment and parameter name work (PUT /orders/{orderId}/line-items/{item-id})", async () => {
    const r = await invokeHandler(out, "put_orders_orderId_line_items_item_id", {
      path: { orderId: "o-1", "item-id": 7 },
      payload: { sku: "sku-9", quantity: 1 },
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.result!.statusCode).toBe(200);
    expect(r.result!.body).toMatchObject({ sku: expect.any(String), quantity: expect.any(Number) });
  });

  it("a dotted path segment and a circular schema in the response work", async () => {
    const r = await invokeHandler(out, "get_catalog_items_json", { query: { category: "tools" } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.result!.statusCode).toBe(200);
  });

  it("an invalid request is rejected by Prism and raised as a named error", async () => {
    const badEnum = await invokeHandler(out, "get_orders", { query: { status: ["bogus"], limit: 500 }, headers });
    expect(badEnum.ok).toBe(false);
    expect(badEnum.error_type).toBe("Http422Error");
    expect(badEnum.mro).toContain("ApiError");
    expect(badEnum.status).toBe(422);
    expect(JSON.stringify(badEnum.body)).toMatch(/status\.0 must be equal to one of the allowed values/);
    // createOrder documents a 400 for invalid input, so Prism answers with that one.
    const badBody = await invokeHandler(out, "post_orders", { payload: { customer: 5 } });
    expect(badBody.error_type).toBe("Http400Error");
    expect(badBody.status).toBe(400);
  });

  it("a documented error response becomes Http404Error carrying its body", async () => {
    const r = await invokeHandler(out, "get_orders_orderId", { path: { orderId: "o-1" }, headers: { ...headers, Prefer: "code=404" } });
    expect(r.ok).toBe(false);
    expect(r.error_type).toBe("Http404Error");
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({});
  });

  it("a missing required parameter fails before any request", async () => {
    const r = await invokeHandler(out, "get_orders_orderId", { headers });
    expect(r.ok).toBe(false);
    expect(r.error_type).toBe("MissingParameterError");
    expect(r.message).toMatch(/orderId/);
    const h = await invokeHandler(out, "get_orders", {});
    expect(h.error_type).toBe("MissingParameterError");
    expect(h.message).toMatch(/X-Request-Id/);
  });

  it("the generated Python passes ruff check and ruff format --check", async () => {
    const lint = await runPython(["-m", "ruff", "check", "--no-cache", join(out, "lambdas"), join(out, "layer")]);
    expect(lint.stdout + lint.stderr).toMatch(/All checks passed/);
    expect(lint.code).toBe(0);
    const format = await runPython(["-m", "ruff", "format", "--check", "--no-cache", join(out, "lambdas"), join(out, "layer")]);
    expect(format.code, format.stdout + format.stderr).toBe(0);
  });
});
