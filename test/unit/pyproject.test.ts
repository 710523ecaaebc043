import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pyprojectRequirements } from "../../src/bundle/pyproject.js";

function bundle(pyproject?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "picofun-pyproject-"));
  if (pyproject !== undefined) writeFileSync(join(dir, "pyproject.toml"), pyproject);
  return dir;
}

describe("a bundle with a pyproject.toml (the Python PicoFun's)", () => {
  it("installs [project] dependencies like requirements.txt lines", () => {
    const dir = bundle('[project]\nname = "hooks"\ndependencies = ["requests>=2.31", "attrs==23.2.0; python_version >= \\"3.11\\""]\n');
    expect(pyprojectRequirements(dir)).toBe('requests>=2.31\nattrs==23.2.0; python_version >= "3.11"\n');
  });

  it("has nothing to install without the file or without dependencies", () => {
    expect(pyprojectRequirements(bundle())).toBeUndefined();
    expect(pyprojectRequirements(bundle('[project]\nname = "x"\n'))).toBeUndefined();
    expect(pyprojectRequirements(bundle('[project]\ndependencies = []\n'))).toBeUndefined();
  });

  it("names the file when it is broken", () => {
    expect(() => pyprojectRequirements(bundle("[project\n"))).toThrow(/pyproject.toml: invalid TOML/);
    expect(() => pyprojectRequirements(bundle("[project]\ndependencies = [1]\n"))).toThrow(/must be a list of strings/);
  });
});
