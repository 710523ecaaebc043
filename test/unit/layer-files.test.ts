import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LAYER_RUNTIME_FILES, runtimeFiles } from "../../src/kinds/client/layerFiles.js";

describe("the client layer's runtime files", () => {
  it("leave out the caches a type check, a lint or python itself leaves in the folder", () => {
    const root = mkdtempSync(join(tmpdir(), "picofun-layer-"));
    for (const dir of ["picorun/__pycache__", ".mypy_cache/3.11", "picorun/.ruff_cache"]) mkdirSync(join(root, dir), { recursive: true });
    for (const f of ["picorun/__init__.py", "picorun/py.typed", "picorun/__pycache__/x.cpython-311.pyc", ".mypy_cache/3.11/x.json", "picorun/.ruff_cache/CACHEDIR.TAG", "picorun/stale.pyc"]) writeFileSync(join(root, f), "");
    expect(runtimeFiles(root)).toEqual(["picorun/__init__.py", "picorun/py.typed"]);
  });

  it("are the picorun package's modules and py.typed", () => {
    expect(LAYER_RUNTIME_FILES.every((f) => f.startsWith("picorun/") && /\.py$|\/py\.typed$/.test(f))).toBe(true);
    expect(LAYER_RUNTIME_FILES).toContain("picorun/build.py");
  });
});
