import { describe, expect, it } from "vitest";
import { byTerraformName } from "../../src/util/order.js";

// Random Terraform-style names: the ordering must be exactly localeCompare's for them.
function names(seed: number, count: number): string[] {
  const alphabet = "abcABC019_-xyzXYZ";
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: count }, () => Array.from({ length: 1 + (next() % 6) }, () => alphabet[next() % alphabet.length]).join(""));
}

describe("byTerraformName", () => {
  it("orders like localeCompare for letters, digits, _ and -", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const list = names(seed, 400);
      expect([...list].sort(byTerraformName)).toEqual([...list].sort((a, b) => a.localeCompare(b)));
    }
  });

  it("orders the module's own names as before", () => {
    const list = ["vpc_subnet_ids", "namespace", "log_retention_days", "logs_kms_key", "name_prefix", "vpc", "x10", "x2", "aws_iam_role_policy", "aws_iam_role"];
    expect([...list].sort(byTerraformName)).toEqual([...list].sort((a, b) => a.localeCompare(b)));
  });
});
