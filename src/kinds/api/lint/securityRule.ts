import { securityModel } from "../gateway/security.js";
import type { LintRule } from "./types.js";

export const SECURITY_RULE = "security-scheme";

/** Security requirements API Gateway cannot enforce: an error naming the operation and the scheme. */
export const securityRule: LintRule = {
  id: SECURITY_RULE,
  severity: "error",
  summary: "every security scheme an operation requires must map to an API key, a Cognito or a Lambda authorizer",
  fixedByGenerate: false,
  check: ({ doc }) =>
    securityModel(doc).problems.map((p) => ({
      pointer: p.pointer,
      message: p.message,
      fix: "use http bearer/basic, oauth2, openIdConnect or an apiKey (header, query or cookie), or set [api] allow_unenforced_security = true",
    })),
};
