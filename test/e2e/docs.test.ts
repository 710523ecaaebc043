import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Lexer, type Tokens } from "marked";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { rootModule, terraform } from "../support/terraform.js";

interface ModuleConfig {
  variables?: Record<string, { default?: unknown; description?: string }>;
  outputs?: Record<string, { description?: string; sensitive?: boolean }>;
  resources?: Array<{ type: string; name: string; mode: string }>;
}

/** Terraform's own view of the module (`terraform show -json` of a plan): the reference the README is checked against. */
async function terraformView(moduleDir: string): Promise<ModuleConfig> {
  const root = rootModule(moduleDir);
  for (const args of [["init", "-input=false", "-backend=false"], ["plan", "-refresh=false", "-input=false", "-lock=false", "-out=tfplan"]]) {
    const r = await terraform(args, root);
    expect(r.code, r.out).toBe(0);
  }
  const show = await terraform(["show", "-json", "tfplan"], root);
  const json = JSON.parse(show.out) as { configuration: { root_module: { module_calls: Record<string, { module: ModuleConfig }> } } };
  return json.configuration.root_module.module_calls.generated.module;
}

function tables(markdown: string): Map<string, Tokens.Table> {
  const out = new Map<string, Tokens.Table>();
  let heading = "";
  for (const token of new Lexer().lex(markdown)) {
    if (token.type === "heading") heading = (token as Tokens.Heading).text;
    if (token.type === "table") out.set(heading, token as Tokens.Table);
  }
  return out;
}

const firstCells = (t: Tokens.Table | undefined) => (t?.rows ?? []).map((r) => r[0].text.replace(/`/g, ""));

describeWithTools("output/README.md documents the module as Terraform sees it", ["terraform"], () => {
  let client: string;
  let api: string;

  beforeAll(async () => {
    const dir = tempProject();
    const spec = readFileSync(ORDERS_SPEC, "utf8").replace(/title: .*/, 'title: "Orders | API <b>x</b>"');
    writeFileSync(join(dir, "openapi.yaml"), spec);
    const a = await runCli(["orders", "openapi.yaml", "-o", "client"], { cwd: dir });
    expect(a.code, a.stderr).toBe(0);
    const b = await runCli(["orders", "openapi.yaml", "-o", "api", "--kind", "api"], { cwd: dir });
    expect(b.code, b.stderr).toBe(0);
    client = join(dir, "client");
    api = join(dir, "api");
  });

  for (const kind of ["client", "api"] as const) {
    it(`${kind} kind: inputs, outputs, resources and functions match the module`, async () => {
      const dir = kind === "client" ? client : api;
      const readme = readFileSync(join(dir, "README.md"), "utf8");
      const view = await terraformView(dir);
      const t = tables(readme);
      // Every table row has as many cells as its header: no pipe or newline from the spec split a row.
      for (const [name, table] of t) for (const row of table.rows) expect(row.length, name).toBe(table.header.length);

      expect(firstCells(t.get("Inputs"))).toEqual(Object.keys(view.variables ?? {}).sort());
      const required = (t.get("Inputs")?.rows ?? []).filter((r) => r[4].text === "yes").map((r) => r[0].text.replace(/`/g, ""));
      expect(required).toEqual(Object.entries(view.variables ?? {}).filter(([, v]) => !("default" in v)).map(([k]) => k).sort());
      for (const row of t.get("Inputs")?.rows ?? []) {
        expect(row[1].text, row[0].text).toBe(view.variables![row[0].text.replace(/`/g, "")].description ?? "");
      }
      expect(firstCells(t.get("Outputs"))).toEqual(Object.keys(view.outputs ?? {}).sort());
      const types = [...new Set((view.resources ?? []).filter((r) => r.mode === "managed").map((r) => r.type))].sort();
      expect(firstCells(t.get("Resources"))).toEqual(types);

      const functions = JSON.parse(readFileSync(join(dir, "functions.tf.json"), "utf8")).locals.functions as Record<string, unknown>;
      expect(firstCells(t.get("Functions")).sort()).toEqual(Object.keys(functions).sort());
      expect(readme).toMatch(/```mermaid\nflowchart LR\n/);
      expect(readme).toContain("# Orders \\| API &lt;b&gt;x&lt;/b&gt; (orders)");
      // Spec text reaches the page as text: raw HTML only ever inside code spans, where it is shown as typed.
      expect(readme.replace(/`[^`\n]*`/g, "")).not.toContain("<b>");
    });
  }

  it("client kind: example events and declared errors per function", () => {
    const readme = readFileSync(join(client, "README.md"), "utf8");
    const rows = tables(readme).get("Functions")!.rows;
    const row = rows.find((r) => r[0].text.includes("orders_get_orders_orderId"))!;
    expect(row[1].text).toBe("`GET /orders/{orderId}`");
    const event = JSON.parse(row[2].text.replace(/^`|`$/g, "")) as Record<string, Record<string, unknown>>;
    expect(Object.keys(event.path)).toEqual(["orderId"]);
    expect(row[3].text).toContain("Http404Error");
  });

  it("is kept by the manifest like every generated file", async () => {
    const dir = tempProject();
    expect((await runCli(["orders", ORDERS_SPEC], { cwd: dir })).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, "output", ".picofun-manifest.json"), "utf8")) as { files: Record<string, string> };
    expect(JSON.stringify(manifest)).toContain("README.md");
    writeFileSync(join(dir, "output", "README.md"), "mine\n");
    const again = await runCli(["orders", ORDERS_SPEC], { cwd: dir });
    expect(again.stdout).toContain("README.md was edited by hand");
    expect(readFileSync(join(dir, "output", "README.md"), "utf8")).toBe("mine\n");
  });
});
