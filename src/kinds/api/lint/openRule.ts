import { listOperations } from "../operationIds.js";
import { OPEN_HINT } from "../openOperations.js";
import { securityModel } from "../gateway/security.js";
import type { LintRule } from "./types.js";

export const OPEN_RULE = "open-operation";

/** Operations the spec leaves without security (none of their own, none at the root): public once deployed. */
export const openRule: LintRule = {
  id: OPEN_RULE,
  severity: "warning",
  summary: "an operation without any security requirement is open to the internet; say so with security: [] or [api] public_operations",
  fixedByGenerate: false,
  check: ({ doc }) => {
    const model = securityModel(doc);
    return listOperations(doc)
      .filter((o) => o.method !== "trace")
      .map((o) => ({ o, access: model.operations.get(`${o.method.toUpperCase()} ${o.path}`) }))
      .filter(({ access }) => access?.open && access.openBecause === "no security")
      .map(({ o, access }) => ({
        pointer: `#/paths/${o.path.replace(/~/g, "~0").replace(/\//g, "~1")}/${o.method}`,
        message: `${access!.key} is open to the internet: the spec gives it no security`,
        fix: OPEN_HINT,
      }));
  },
};
