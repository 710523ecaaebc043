import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spawn } from "../../src/cli/childProcessStandIn.js";
import standIn from "../../src/render/handlebarsStandIn.js";
import { REPO } from "../support/env.js";

describe("node-plop's Handlebars stand-in", () => {
  it("does what Handlebars does when node-plop asks (helpers, partials, compile)", () => {
    standIn.registerHelper("shout", (v: unknown) => String(v).toUpperCase());
    standIn.registerPartial("greeting", "hello {{shout name}}");
    expect(standIn.compile("{{> greeting}}!")({ name: "plop" })).toBe("hello PLOP!");
  });

  it("is what the bundle gives node-plop, and the bundle carries no Handlebars compiler (vendor/handlebars.cjs, loaded on demand, does)", () => {
    const bundle = join(REPO, "dist", "bundle");
    const chunks = readdirSync(bundle, { withFileTypes: true })
      .filter((f) => f.isFile() && f.name.endsWith("js"))
      .map((f) => readFileSync(join(bundle, f.name), "utf8"));
    expect(chunks.some((c) => c.includes("node_modules/node-plop/src/node-plop.js"))).toBe(true);
    expect(chunks.some((c) => c.includes("dist/src/render/handlebarsStandIn.js"))).toBe(true);
    expect(chunks.some((c) => c.includes("node_modules/handlebars/dist/cjs/handlebars/compiler/compiler.js"))).toBe(false);
  });
});

describe("commander's child_process stand-in", () => {
  it("spawns like child_process.spawn", async () => {
    const child = spawn(process.execPath, ["-e", "process.exit(7)"], { stdio: "ignore" });
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(7);
  });

  it("is what the bundle gives commander", () => {
    const bundle = readFileSync(join(REPO, "dist", "bundle", "picofun.cjs"), "utf8");
    expect(bundle).toContain("dist/src/cli/childProcessStandIn.js");
    expect(bundle).toMatch(/childProcess = \(init_childProcessStandIn\(\), __toCommonJS\(childProcessStandIn_exports\)\)/);
    expect(bundle).not.toMatch(/childProcess = (__)?require\("(node:)?child_process"\)/);
  });
});
