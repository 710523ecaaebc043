import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { readZip } from "../support/zip.js";

const BUNDLED = join(REPO, "templates");
const bundled = (name: string) => readFileSync(join(BUNDLED, name), "utf8");
const ARGS = ["orders", ORDERS_SPEC, "--server-url", "https://api.example.com"];

function treeHashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(root, full).split("\\").join("/")] = createHash("sha256").update(readFileSync(full)).digest("hex");
    }
  };
  walk(root);
  return out;
}

function allBundled(): string[] {
  return Object.keys(treeHashes(BUNDLED)).filter((n) => !n.includes("__pycache__")).sort();
}

describe("template overrides", () => {
  it("overrides one rendered and one copied template; every other file falls back to the bundled ones", async () => {
    const base = tempProject();
    expect((await runCli(ARGS, { cwd: base })).code).toBe(0);

    const dir = tempProject();
    const handler = bundled("client/handler.py.hbs").replace("\n\nfrom picorun", "\n\n# Custom handler template.\nfrom picorun");
    const observability = `${bundled("client/layer/picorun/observability.py")}\nCUSTOMISED = True\n`;
    mkdirSync(join(dir, "tpl", "client", "layer", "picorun"), { recursive: true });
    writeFileSync(join(dir, "tpl", "client", "handler.py.hbs"), handler);
    writeFileSync(join(dir, "tpl", "client", "layer", "picorun", "observability.py"), observability);
    writeFileSync(join(dir, "picofun.toml"), 'template_path = "tpl"\n');
    const res = await runCli(ARGS, { cwd: dir });
    expect(res.code, res.stderr).toBe(0);

    const out = join(dir, "output");
    const mine = treeHashes(out);
    const theirs = treeHashes(join(base, "output"));
    expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
    const changed = Object.keys(mine).filter((f) => mine[f] !== theirs[f] && f !== ".picofun-manifest.json").sort();
    // Handlers and their zips, the overridden runtime file and the layer zip; nothing else.
    const lambdas = Object.keys(theirs).filter((f) => f.startsWith("lambdas/") || f.startsWith("build/lambdas/"));
    expect(changed).toEqual([...lambdas, "build/layer.zip", "layer/picorun/observability.py"].sort());
    for (const f of lambdas.filter((f) => f.endsWith(".py"))) {
      expect(readFileSync(join(out, f), "utf8")).toContain("# Custom handler template.\nfrom picorun");
    }
    expect(readFileSync(join(out, "layer", "picorun", "observability.py"), "utf8")).toBe(observability);
    const layer = readZip(readFileSync(join(out, "build", "layer.zip")));
    expect(layer.get("python/picorun/observability.py")!.toString("utf8")).toBe(observability);
    expect(layer.get("python/picorun/hooks.py")!.toString("utf8")).toBe(bundled("client/layer/picorun/hooks.py"));
  });

  it("a template that fails names the file and the line", async () => {
    const dir = tempProject();
    mkdirSync(join(dir, "tpl", "client", "terraform"), { recursive: true });
    const file = join(dir, "tpl", "client", "terraform", "main.tf.hbs");
    writeFileSync(file, "# main\n\n{{#if namespace}}\nlocals {}\n");
    writeFileSync(join(dir, "picofun.toml"), 'template_path = "tpl"\n');
    const broken = await runCli(ARGS, { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr.trim().split("\n")).toHaveLength(1);
    expect(broken.stderr).toContain(`template ${file}, line 5: parse error:`);

    writeFileSync(file, "# main\n\n{{upper namespace}}\n");
    const helper = await runCli(ARGS, { cwd: dir });
    expect(helper.code).toBe(1);
    expect(helper.stderr).toContain(`template ${file}, line 3 failed to render: Missing helper: "upper"`);
    expect(existsSync(join(dir, "output"))).toBe(false);
  });
});

describe("picofun templates", () => {
  it("eject copies the named templates into template_path, never over an existing file", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "picofun.toml"), 'template_path = "my-templates"\n');
    const one = await runCli(["templates", "eject", "client/handler.py.hbs", "client/layer/picorun/hooks.py"], { cwd: dir });
    expect(one.code, one.stderr).toBe(0);
    const target = join(dir, "my-templates");
    expect(Object.keys(treeHashes(target)).sort()).toEqual(["client/handler.py.hbs", "client/layer/picorun/hooks.py"]);
    expect(readFileSync(join(target, "client", "handler.py.hbs"), "utf8")).toBe(bundled("client/handler.py.hbs"));

    writeFileSync(join(target, "client", "handler.py.hbs"), "mine\n");
    const kindOnly = await runCli(["templates", "eject"], { cwd: dir });
    expect(kindOnly.code, kindOnly.stderr).toBe(0);
    const names = Object.keys(treeHashes(target));
    expect(names.some((n) => n.startsWith("client/terraform/")), names.join()).toBe(true);
    expect(names.filter((n) => n.startsWith("api/") || n.startsWith("init/"))).toEqual([]);
    const all = await runCli(["templates", "eject", "--all"], { cwd: dir });
    expect(all.code, all.stderr).toBe(0);
    expect(Object.keys(treeHashes(target)).sort()).toEqual(allBundled());
    expect(readFileSync(join(target, "client", "handler.py.hbs"), "utf8")).toBe("mine\n");
    const clientCount = allBundled().filter((n) => !n.startsWith("api/") && !n.startsWith("init/")).length;
    expect(all.stdout).toMatch(new RegExp(`${allBundled().length - clientCount} copied, ${clientCount} already there`));

    const list = await runCli(["templates", "list"], { cwd: dir });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^client\/handler\.py\.hbs {2}\(overridden: /m);
  });

  it("eject for an api project leaves out the client kind's folders, Step Functions included", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "picofun.toml"), 'kind = "api"\ntemplate_path = "t"\n');
    const res = await runCli(["templates", "eject"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const names = Object.keys(treeHashes(join(dir, "t")));
    expect(names.some((n) => n.startsWith("api/")), names.join()).toBe(true);
    expect(names.filter((n) => n.startsWith("client/") || n.startsWith("stepfunctions/"))).toEqual([]);
  });

  it("eject of a folder, default folder next to picofun.toml, and an unknown name", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "picofun.toml"), 'namespace = "x"\n');
    const res = await runCli(["templates", "eject", "client/terraform"], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(readdirSync(join(dir, "templates", "client", "terraform")).sort()).toEqual(
      allBundled().filter((n) => n.startsWith("client/terraform/")).map((n) => n.slice("client/terraform/".length)),
    );
    expect(res.stdout).toMatch(/template_path = "templates" added to picofun\.toml/);
    expect(readFileSync(join(dir, "picofun.toml"), "utf8")).toBe('namespace = "x"\ntemplate_path = "templates"\n');
    // generation now renders through the ejected copy
    writeFileSync(join(dir, "templates", "client", "terraform", "outputs.tf.hbs"), 'output "ejected" {\n  value = "yes"\n}\n');
    const gen = await runCli(["x", ORDERS_SPEC], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    expect(readFileSync(join(dir, "output", "outputs.tf"), "utf8")).toContain('output "ejected"');

    const bad = await runCli(["templates", "eject", "client/handler.py.hbz"], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^picofun: error: no bundled template "client\/handler\.py\.hbz" \(did you mean "client\/handler\.py\.hbs"\?\)/);
  });
});
