import { readFileSync } from "node:fs";
import { join } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { buildModel } from "../../src/model/build.js";
import type { ApiModel } from "../../src/model/types.js";
import { nameEndpoints } from "../../src/naming/functionName.js";
import { loadSpec, type LoadedSpec } from "../../src/spec/load.js";
import { REPO } from "../support/env.js";

/**
 * picofun follows only the $refs generation needs, lazily, instead of dereferencing the whole
 * document. This checks the shortcut loses nothing: the model built that way equals the model
 * built from swagger-parser's full dereference() of the same document.
 */
function summary(model: ApiModel) {
  const names = nameEndpoints(model.endpoints, "ns");
  return model.endpoints.map((e) => ({
    key: `${e.method} ${e.path}`,
    operationId: e.operationId,
    name: names.get(e)!.functionName,
    tags: e.tags,
    parameters: e.parameters.map((p) => [p.name, p.in, p.required, p.style, p.explode, p.allowReserved, p.schemaType]),
    body: e.requestBody && [e.requestBody.contentType, e.requestBody.required, e.requestBody.contentTypes],
    security: e.security,
    servers: e.servers?.map((s) => s.url),
    responses: e.responses,
  }));
}

async function both(file: string): Promise<[ReturnType<typeof summary>, ReturnType<typeof summary>]> {
  const lazy: LoadedSpec = await loadSpec(file);
  const copy = JSON.parse(JSON.stringify(lazy.doc)) as Record<string, unknown>;
  // circular: "ignore" keeps the cycles as $refs, which the model never needs to cross.
  const full = (await new SwaggerParser().dereference(copy as never, { dereference: { circular: "ignore" } } as never)) as unknown as Record<string, unknown>;
  const derefSpec: LoadedSpec = { ...lazy, doc: full };
  return [summary(buildModel(lazy)), summary(buildModel(derefSpec))];
}

describe("the lazy loader yields what a full dereference() yields", () => {
  const files = [
    join(REPO, "examples", "orders", "openapi.yaml"),
    join(REPO, "test", "fixtures", "api", "petstore.yaml"),
    join(REPO, "test", "fixtures", "swagger2", "petshop.yaml"),
    join(REPO, "test", "fixtures", "adversarial.yaml"),
    join(REPO, "bench", "fixtures", "petstore.yaml"),
  ];

  it.each(files.map((f) => [f.slice(REPO.length + 1), f]))("%s", async (_label, file) => {
    const [lazy, full] = await both(file);
    expect(lazy.length).toBeGreaterThan(0);
    expect(lazy).toEqual(full);
  });

  it("GitHub's spec (1,223 operations)", async () => {
    const file = join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");
    expect(readFileSync(file).length).toBeGreaterThan(1_000_000);
    const [lazy, full] = await both(file);
    expect(lazy.length).toBe(1223);
    expect(lazy.reduce((n, e) => n + e.parameters.length, 0)).toBeGreaterThan(3000);
    expect(lazy).toEqual(full);
  }, 120_000);
});
