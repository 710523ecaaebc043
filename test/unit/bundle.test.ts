import { describe, expect, it } from "vitest";
import { cacheKey, lambdaTarget, pipFailure } from "../../src/bundle/requirements.js";
import { selectTemplates } from "../../src/render/bundled.js";

describe("bundle requirements target", () => {
  it("follows architecture and runtime", () => {
    expect(lambdaTarget("arm64", "python3.13")).toEqual({ platform: "manylinux2014_aarch64", pythonVersion: "3.13", implementation: "cp" });
    expect(lambdaTarget("x86_64", "python3.11").platform).toBe("manylinux2014_x86_64");
    expect(() => lambdaTarget("arm64", "nodejs22.x")).toThrow(/not a Python runtime/);
  });

  it("keys the cache by the requirements and the target", () => {
    const arm = lambdaTarget("arm64", "python3.13");
    const key = cacheKey(Buffer.from("six==1.17.0\n"), arm);
    expect(cacheKey(Buffer.from("six==1.17.0\n"), arm)).toBe(key);
    expect(cacheKey(Buffer.from("six==1.16.0\n"), arm)).not.toBe(key);
    expect(cacheKey(Buffer.from("six==1.17.0\n"), lambdaTarget("x86_64", "python3.13"))).not.toBe(key);
    expect(cacheKey(Buffer.from("six==1.17.0\n"), lambdaTarget("arm64", "python3.12"))).not.toBe(key);
  });

  it("names the package pip could not find, and otherwise keeps pip's error line", () => {
    const t = lambdaTarget("arm64", "python3.13");
    const stderr = "ERROR: Could not find a version that satisfies the requirement numpyy (from versions: none)\nERROR: No matching distribution found for numpyy\n";
    expect(pipFailure(stderr, "b/requirements.txt", t)).toBe(
      'b/requirements.txt: no wheel of "numpyy" for the Lambda platform (manylinux2014_aarch64, CPython 3.13); pin a version that publishes one, or drop the package',
    );
    expect(pipFailure("WARNING: root\nERROR: Invalid requirement: '==1'\n", "r.txt", t)).toMatch(/pip could not install the requirements for manylinux2014_aarch64, CPython 3.13: Invalid requirement: '==1'$/);
  });
});

describe("template names for eject", () => {
  const all = ["client/handler.py.hbs", "client/layer/picorun/hooks.py", "client/terraform/main.tf.hbs"];
  it("matches a file, a file without .hbs, a folder, or everything", () => {
    expect(selectTemplates("client/handler.py.hbs", all)).toEqual(["client/handler.py.hbs"]);
    expect(selectTemplates("client/terraform/main.tf", all)).toEqual(["client/terraform/main.tf.hbs"]);
    expect(selectTemplates("client/layer/", all)).toEqual(["client/layer/picorun/hooks.py"]);
    expect(selectTemplates("./client", all)).toEqual(all);
    expect(selectTemplates("", all)).toEqual(all);
    expect(selectTemplates("client/hand", all)).toEqual([]);
  });
});
