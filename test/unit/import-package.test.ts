import { afterEach, describe, expect, it } from "vitest";
import { importPackage, requirePackage } from "../../src/util/importPackage.js";

const global = globalThis as { __picofunImport?: (name: string) => Promise<unknown> };

describe("importPackage", () => {
  afterEach(() => {
    delete global.__picofunImport;
  });

  it("imports a package from node_modules", async () => {
    const yaml = await importPackage<typeof import("yaml")>("yaml");
    expect(yaml.parse("a: 1")).toEqual({ a: 1 });
  });

  it("goes through the loader's import when the bundle has one", async () => {
    const asked: string[] = [];
    global.__picofunImport = async (name) => {
      asked.push(name);
      return { marker: name };
    };
    expect(await importPackage("ora")).toEqual({ marker: "ora" });
    expect(asked).toEqual(["ora"]);
  });
});

describe("importPackage and requirePackage in the bundle (dist/bundle/vendor/)", () => {
  const vendorGlobal = globalThis as { __picofunVendor?: (name: string) => unknown };
  afterEach(() => {
    delete vendorGlobal.__picofunVendor;
  });

  it("take the vendored copy; a CommonJS one is seen through import() as its default and named exports", async () => {
    const asked: string[] = [];
    const cjs = { parse: (t: string) => t.length };
    const esm = { __esModule: true, default: "the default", named: 1 };
    vendorGlobal.__picofunVendor = (name) => {
      asked.push(name);
      return name === "yaml" ? cjs : esm;
    };
    const yaml = await importPackage<{ default: typeof cjs; parse: typeof cjs.parse }>("yaml");
    expect(yaml.default).toBe(cjs);
    expect(yaml.parse("abc")).toBe(3);
    expect(await importPackage("ora")).toBe(esm);
    expect(requirePackage("picomatch", import.meta.url)).toBe(esm);
    expect(asked).toEqual(["yaml", "ora", "picomatch"]);
  });

  it("requirePackage without the bundle requires from node_modules", () => {
    const picomatch = requirePackage<(glob: string) => (s: string) => boolean>("picomatch", import.meta.url);
    expect(picomatch("a/*")("a/b")).toBe(true);
  });
});
