import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import standIn from "../../src/render/handlebarsStandIn.js";
import { REPO } from "../support/env.js";

describe("node-plop's Handlebars stand-in", () => {
  it("does what Handlebars does when node-plop asks (helpers, partials, compile)", () => {
    standIn.registerHelper("shout", (v: unknown) => String(v).toUpperCase());
    standIn.registerPartial("greeting", "hello {{shout name}}");
    expect(standIn.compile("{{> greeting}}!")({ name: "plop" })).toBe("hello PLOP!");
  });

  it("is what the bundle gives node-plop, and the bundle carries no Handlebars compiler", () => {
    const bundle = join(REPO, "dist", "bundle");
    const chunks = readdirSync(bundle).map((f) => readFileSync(join(bundle, f), "utf8"));
    expect(chunks.some((c) => c.includes("node_modules/node-plop/src/node-plop.js"))).toBe(true);
    expect(chunks.some((c) => c.includes("dist/src/render/handlebarsStandIn.js"))).toBe(true);
    expect(chunks.some((c) => c.includes("node_modules/handlebars/dist/cjs/handlebars/compiler/compiler.js"))).toBe(false);
  });
});
