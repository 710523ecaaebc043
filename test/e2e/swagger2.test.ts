import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { startPrism, type PrismServer } from "../support/prism.js";
import { invokeHandler, runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";

const SPEC = join(REPO, "test", "fixtures", "swagger2", "petshop.yaml");

describeWithTools("Swagger 2.0 spec end to end against Prism (pet shop)", ["python", "prism"], () => {
  let prism: PrismServer;
  let out: string;

  beforeAll(async () => {
    // Prism serves the 2.0 document itself (at its root, without basePath); picofun converts it.
    prism = await startPrism(SPEC);
    const dir = tempProject();
    out = join(dir, "output");
    // Credentials are covered by the auth tests; here the converted operations are what matters.
    writeFileSync(join(dir, "picofun.toml"), "[auth]\nenabled = false\n");
    const res = await runCli(["pets", SPEC, "--server-url", prism.url, "--output-dir", out], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/5 functions for Pet Shop \(Swagger 2\.0\)/);
  });

  afterAll(async () => {
    await prism?.stop();
  });

  const headers = { "X-Request-Id": "r-1" };

  it("GET with multi and csv query arrays and a required header gets 200 with the documented body", async () => {
    const r = await invokeHandler(out, "get_pets", { query: { tags: ["a", "b"], fields: ["id", "name"], limit: 10 }, headers });
    expect(r.ok, JSON.stringify(r) + prism.log().slice(-2000)).toBe(true);
    expect(r.result!.statusCode).toBe(200);
    expect(Array.isArray(r.result!.body)).toBe(true);
  });

  it("csv is sent comma-separated: an invalid csv item is rejected, proving Prism parsed the list", async () => {
    const r = await invokeHandler(out, "get_pets", { query: { fields: ["id", "bogus"] }, headers });
    expect(r.ok).toBe(false);
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toMatch(/fields/);
  });

  it("a required header missing fails before any request", async () => {
    const r = await invokeHandler(out, "get_pets", {});
    expect(r.error_type).toBe("MissingParameterError");
    expect(r.message).toMatch(/X-Request-Id/);
  });

  it("a body parameter (via a $ref to #/parameters) becomes a JSON request body", async () => {
    const r = await invokeHandler(out, "post_pets", { payload: { name: "Rex", tag: null }, headers: { "X-Api-Key": "k" } });
    expect(r.ok, JSON.stringify(r) + prism.log().slice(-2000)).toBe(true);
    expect(r.result!.statusCode).toBe(201);
    expect(r.result!.body).toMatchObject({ id: expect.any(Number), name: expect.any(String) });
    const bad = await invokeHandler(out, "post_pets", { payload: { tag: "no name" }, headers: { "X-Api-Key": "k" } });
    expect(bad.ok).toBe(false);
    expect(bad.status).toBe(400);
  });

  it("a path-level $ref parameter and a $ref response work (200 and the documented 404)", async () => {
    const ok = await invokeHandler(out, "get_pets_petId", { path: { petId: 7 } });
    expect(ok.ok, JSON.stringify(ok)).toBe(true);
    expect(ok.result!.statusCode).toBe(200);
    const missing = await invokeHandler(out, "get_pets_petId", { path: { petId: 7 }, headers: { Prefer: "code=404" } });
    expect(missing.error_type).toBe("Http404Error");
    expect(missing.body).toMatchObject({ message: expect.any(String) });
    const del = await invokeHandler(out, "delete_pets_petId", { path: { petId: 7 } });
    expect(del.result?.statusCode, JSON.stringify(del)).toBe(204);
  });

  it("formData parameters become a form-encoded request body", async () => {
    const r = await invokeHandler(out, "post_pets_petId_photo", { path: { petId: 3 }, payload: { caption: "hi", rating: 5 } });
    expect(r.ok, JSON.stringify(r) + prism.log().slice(-2000)).toBe(true);
    expect(r.result!.statusCode).toBe(200);
    const bad = await invokeHandler(out, "post_pets_petId_photo", { path: { petId: 3 }, payload: { rating: 5 } });
    expect(bad.ok).toBe(false);
    expect(bad.status).toBe(422);
  });

  it("without --server-url the server comes from host, basePath and schemes (https first)", async () => {
    const dir = tempProject();
    const res = await runCli(["pets", SPEC, "--output-dir", join(dir, "output")], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const r = await runPython([
      "-c",
      "import sys; sys.path[:0] = sys.argv[1:3]; import get_pets; print(get_pets.ENDPOINT.server_url)",
      join(dir, "output", "layer"),
      join(dir, "output", "lambdas"),
    ]);
    expect(r.stdout.trim(), r.stderr).toBe("https://petshop.example.com/v1");
  });

  it("the generated Python passes ruff check and ruff format --check", async () => {
    const lint = await runPython(["-m", "ruff", "check", "--no-cache", join(out, "lambdas")]);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    const format = await runPython(["-m", "ruff", "format", "--check", "--no-cache", join(out, "lambdas")]);
    expect(format.code, format.stdout + format.stderr).toBe(0);
  });
});
