import { afterEach, describe, expect, it } from "vitest";
import { importPackage } from "../../src/util/importPackage.js";

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
