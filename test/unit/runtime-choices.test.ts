import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { runtimesFor } from "../../src/wizard/answers.js";

function load(lines: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "picofun-rt-"));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "ns"', 'spec = "api.yaml"', ...lines].join("\n"));
  return () => loadConfig({}, dir);
}

describe("the runtimes Lambda offers today", () => {
  it("picofun.toml takes python3.14 for both kinds and nodejs24.x for the api kind", () => {
    expect(load(['runtime = "python3.14"'])().runtime).toBe("python3.14");
    expect(load(['runtime = "python3.14"', 'kind = "api"'])().runtime).toBe("python3.14");
    expect(load(['runtime = "nodejs24.x"', 'kind = "api"'])().runtime).toBe("nodejs24.x");
  });

  it("refuses nodejs24.x for the client kind (its runtime is Python) and a runtime Lambda does not offer", () => {
    expect(load(['runtime = "nodejs24.x"'])).toThrow(/runtime "nodejs24\.x" is only available for kind = "api"/);
    expect(load(['runtime = "python3.15"'])).toThrow(/python3\.14/);
  });

  it("the wizard offers them after the defaults it offered before", () => {
    expect(runtimesFor("client")).toEqual(["python3.13", "python3.12", "python3.11", "python3.14"]);
    expect(runtimesFor("api")).toEqual(["python3.13", "nodejs22.x", "python3.14", "nodejs24.x"]);
  });
});
