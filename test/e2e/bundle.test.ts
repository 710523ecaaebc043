import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";
import { extractZip, readZip } from "../support/zip.js";

// pip runs make these slow on a busy machine: a generous timeout, never a speed target.
const PIP_TIMEOUT = 400_000;

const freshCache = () => mkdtempSync(join(tmpdir(), "picofun-cache-"));

/** A project whose bundle has a hook module that imports `six`, and a requirements.txt (null: none) asking for it. */
function bundleProject(requirements: string | null = "six\n", hook = "hooks_pkg.hooks.tag"): string {
  const dir = tempProject();
  mkdirSync(join(dir, "bundle", "hooks_pkg"), { recursive: true });
  writeFileSync(join(dir, "bundle", "hooks_pkg", "__init__.py"), "");
  writeFileSync(
    join(dir, "bundle", "hooks_pkg", "hooks.py"),
    'import six\n\n\ndef tag(args):\n    args.headers["X-Six"] = six.text_type("yes")\n',
  );
  if (requirements !== null) writeFileSync(join(dir, "bundle", "requirements.txt"), requirements);
  writeFileSync(
    join(dir, "picofun.toml"),
    `namespace = "orders"\nspec = ${JSON.stringify(ORDERS_SPEC)}\nbundle = "bundle"\npreprocessor = "${hook}"\n[server]\nurl = "https://api.example.com"\n`,
  );
  return dir;
}

describeWithTools("a bundle with requirements.txt", ["python"], () => {
  it("installs a pure-Python requirement from the pip mirror into the layer, importable from the zip", async () => {
    const dir = bundleProject();
    const cache = freshCache();
    const res = await runCli([], { cwd: dir, env: { PICOFUN_CACHE_DIR: cache } });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const zip = readFileSync(join(dir, "output", "build", "layer.zip"));
    const names = [...readZip(zip).keys()];
    expect(names).toContain("python/six.py");
    expect(names).toContain("python/hooks_pkg/hooks.py");
    expect(names).toContain("python/picorun/endpoint.py");
    expect(names.some((n) => /^python\/six-[\d.]+\.dist-info\/RECORD$/.test(n))).toBe(true);
    expect(names.filter((n) => n.includes("__pycache__") || n.endsWith(".pyc"))).toEqual([]);
    // Nothing machine-specific in the layer (RECORD, direct_url.json...).
    for (const [name, data] of readZip(zip)) expect(data.includes(cache), name).toBe(false);

    const opt = mkdtempSync(join(tmpdir(), "picofun-opt-"));
    await extractZip(zip, opt);
    const script = [
      "import sys",
      `sys.path[:0] = [${JSON.stringify(join(opt, "python"))}]`,
      "import six, hooks_pkg.hooks, picorun",
      "print(six.__file__)",
      "print(hooks_pkg.hooks.__file__)",
    ].join("\n");
    // -I -S: only the standard library and the unpacked layer, as on Lambda.
    const py = await runPython(["-I", "-S", "-c", script]);
    expect(py.stderr).toBe("");
    const [sixFile, hookFile] = py.stdout.trim().split("\n");
    expect(dirname(sixFile)).toBe(join(opt, "python"));
    expect(hookFile).toBe(join(opt, "python", "hooks_pkg", "hooks.py"));
  }, PIP_TIMEOUT);

  it("gives a byte-identical layer zip from two fresh installs, and reuses its cache", async () => {
    const a = bundleProject();
    const b = bundleProject();
    const cacheB = freshCache();
    for (const [dir, cache] of [[a, freshCache()], [b, cacheB]]) {
      const res = await runCli([], { cwd: dir, env: { PICOFUN_CACHE_DIR: cache } });
      expect(res.code, res.stderr).toBe(0);
    }
    const zipA = readFileSync(join(a, "output", "build", "layer.zip"));
    expect(zipA.equals(readFileSync(join(b, "output", "build", "layer.zip")))).toBe(true);
    expect(readdirSync(join(cacheB, "requirements")).filter((n) => !n.endsWith(".done"))).toHaveLength(1);

    // With no index at all, a second run still works from the cache and gives the same zip.
    const offline = { PICOFUN_CACHE_DIR: cacheB, PIP_NO_INDEX: "1", PIP_FIND_LINKS: mkdtempSync(join(tmpdir(), "picofun-nowheels-")) };
    const again = await runCli(["--output-dir", "output2"], { cwd: b, env: offline });
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(b, "output2", "build", "layer.zip")).equals(zipA)).toBe(true);
  }, PIP_TIMEOUT);

  it("fails with one line naming the package when no wheel exists for the Lambda platform", async () => {
    const dir = bundleProject();
    const env = { PICOFUN_CACHE_DIR: freshCache(), PIP_NO_INDEX: "1", PIP_FIND_LINKS: mkdtempSync(join(tmpdir(), "picofun-nowheels-")) };
    const res = await runCli([], { cwd: dir, env });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toMatch(/requirements\.txt: no wheel of "six" for the Lambda platform \(manylinux2014_aarch64, CPython 3\.13\)/);
  });

  it("installs for x86_64 when architecture says so", async () => {
    const dir = bundleProject();
    writeFileSync(join(dir, "picofun.toml"), `${readFileSync(join(dir, "picofun.toml"), "utf8").replace("[server]", 'architecture = "x86_64"\nruntime = "python3.12"\n[server]')}`);
    const env = { PICOFUN_CACHE_DIR: freshCache(), PIP_NO_INDEX: "1", PIP_FIND_LINKS: mkdtempSync(join(tmpdir(), "picofun-nowheels-")) };
    const res = await runCli([], { cwd: dir, env });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/manylinux2014_x86_64, CPython 3\.12/);
  });
});

describeWithTools("hook references checked at generation", ["python"], () => {
  // One cache for these: six is installed once.
  const cache = freshCache();
  const env = () => ({ PICOFUN_CACHE_DIR: cache });

  it("a function the module does not define: one line, exit 1, nothing written", async () => {
    const dir = bundleProject("six\n", "hooks_pkg.hooks.tga");
    const res = await runCli([], { cwd: dir, env: env() });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toMatch(/preprocessor "hooks_pkg\.hooks\.tga" cannot be used: module 'hooks_pkg\.hooks' has no 'tga'/);
    expect(() => readdirSync(join(dir, "output"))).toThrow();
  }, PIP_TIMEOUT);

  it("a module that is not in the bundle", async () => {
    const dir = bundleProject("six\n", "hooks_pkg.hook.tag");
    const res = await runCli([], { cwd: dir, env: env() });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/preprocessor "hooks_pkg\.hook\.tag" cannot be imported from the bundle .*bundle: no module named 'hooks_pkg\.hook'/);
  });

  it("a module importing a package that is neither bundled nor required", async () => {
    const dir = bundleProject(null);
    const res = await runCli([], { cwd: dir, env: env() });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/'hooks_pkg\.hooks' imports 'six', which is neither in the bundle nor in its requirements\.txt/);
  });

  it("without python3 on PATH the hooks are not checked: a warning, not a failure", async () => {
    // No requirements.txt: only the hook check would need python3.
    const dir = bundleProject(null);
    const res = await runCli([], { cwd: dir, env: { ...env(), PATH: mkdtempSync(join(tmpdir(), "picofun-nopath-")) } });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/python3 not found: hooks_pkg\.hooks\.tag not checked/);
  });

  it("without python3 on PATH a requirements.txt cannot be installed: one line, exit 1", async () => {
    const dir = bundleProject();
    const res = await runCli([], { cwd: dir, env: { PICOFUN_CACHE_DIR: freshCache(), PATH: mkdtempSync(join(tmpdir(), "picofun-nopath-")) } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^picofun: error: python3 not found: it is needed \(with pip\) to install .*requirements\.txt\n$/);
  });
});

describe("bundle folder", () => {
  it("a bundle folder that does not exist is one line", async () => {
    const dir = tempProject();
    const res = await runCli(["orders", ORDERS_SPEC, "--server-url", "https://api.example.com", "--bundle", "nope"], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^picofun: error: bundle folder not found: .*nope\n$/);
  });
});
