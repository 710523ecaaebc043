import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../../src/pipeline/generate.js";
import { precompiledFor } from "../../src/render/precompiled.js";
import { TemplateSet } from "../../src/render/templates.js";
import { REPO } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

function bundledTemplates(): string[] {
  const root = join(REPO, "templates");
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith(".hbs")) out.push(relative(root, join(dir, e.name)).split(sep).join("/"));
    }
  };
  walk(root);
  return out;
}

describe("precompiled templates (dist/templates.cjs, made by npm run build)", () => {
  it("exist for every bundled template, made from its current source (else: npm run build)", () => {
    const names = bundledTemplates();
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) expect(precompiledFor(name, readFileSync(join(REPO, "templates", name), "utf8")), name).toBeDefined();
  });

  it("are not used for a template whose file changed since the build", () => {
    const source = readFileSync(join(REPO, "templates", "client", "handler.py.hbs"), "utf8");
    expect(precompiledFor("client/handler.py.hbs", `${source}# edited\n`)).toBeUndefined();
  });

  it("render exactly what compiling the sources renders, for a client and an api plan", async () => {
    const plans = [
      (await generate({ cwd: tempProject(), overrides: { namespace: "orders", spec: ORDERS_SPEC } })).plan,
      (await generate({ cwd: tempProject(), overrides: { namespace: "pets", spec: join(REPO, "test", "fixtures", "api", "petstore.yaml"), kind: "api" } })).plan,
    ];
    const precompiled = new TemplateSet();
    const compiled = new TemplateSet(undefined, { precompiled: false });
    const seen = new Set<string>();
    for (const plan of plans) {
      for (const job of [...plan.renders, ...(plan.userOwned ?? [])]) {
        expect(precompiled.render(job.template, job.data), job.path).toBe(compiled.render(job.template, job.data));
        seen.add(job.template);
      }
    }
    expect(seen.size).toBeGreaterThan(12);
  });

  it("render each file as a fresh template set would, when one set renders many (its setup is kept between calls)", async () => {
    const { plan } = await generate({ cwd: tempProject(), overrides: { namespace: "orders", spec: ORDERS_SPEC } });
    const shared = new TemplateSet();
    const jobs = [...plan.renders, ...[...plan.renders].reverse()];
    for (const job of jobs) expect(shared.render(job.template, job.data), job.path).toBe(new TemplateSet().render(job.template, job.data));
    // A call with options of its own goes through Handlebars' setup, and the next plain call still renders right.
    const handler = plan.renders.filter((j) => j.template === "client/handler.py.hbs");
    expect(handler.length).toBeGreaterThan(2);
    const fn = (shared as unknown as { compiled: Map<string, (d: unknown, o?: unknown) => string> }).compiled.get("client/handler.py.hbs")!;
    const own = fn(handler[0].data, { helpers: { if: () => "OVERRIDDEN" } });
    expect(own).toContain("OVERRIDDEN");
    expect(shared.render(handler[1].template, handler[1].data)).toBe(new TemplateSet().render(handler[1].template, handler[1].data));
  });
});
