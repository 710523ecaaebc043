/**
 * What the deployed API checks before an operation's handler runs, read from the api kind's
 * security model (`src/api/security.ts`, the one the API definition is generated from), so serve
 * enforces exactly what API Gateway will: open operations (`security: []`, no security, optional
 * `{}`, opted out), the API key, the one authorizer of the requirement API Gateway applies (AND
 * of the API key and an authorizer; of OR alternatives the first it can enforce), Cognito scopes.
 */
import { authorizerNames } from "../kinds/api/stubs/authorizerStubs.js";
import { nameOperations } from "../kinds/api/operationIds.js";
import { securityModel, type AuthorizerPlan, type OperationAccess, type SecurityModel } from "../kinds/api/gateway/security.js";
import type { PicofunConfig } from "../config/types.js";

export { API_KEY_HEADER } from "../kinds/api/gateway/security.js";

export interface LocalAuthorizer extends AuthorizerPlan {
  /** Lambda authorizers (token, request): the stub's module in handlers_dir, named as `generate` names it. */
  module?: string;
}

export interface Access {
  /** The gateway checks no credential. */
  open: boolean;
  apiKey: boolean;
  authorizer?: LocalAuthorizer;
  /** Scopes a Cognito authorizer requires (one of them). */
  scopes: string[];
}

/** The security model of the served operations ("METHOD path" keys), as `generate` builds it. */
export function servedSecurity(doc: Record<string, unknown>, config: PicofunConfig, keep: Set<string>): SecurityModel {
  return securityModel(doc, { userPools: config.api.cognitoUserPools, allowUnenforced: config.api.allowUnenforcedSecurity, keep });
}

/**
 * Handler modules of the operations and Lambda authorizers: operation ids first, then the
 * authorizers' ids made unique against them (the order `generate` names functions in).
 */
export function moduleNames(model: SecurityModel, operationIds: string[], namespace: string): { names: ReturnType<typeof nameOperations>; authorizers: Map<string, LocalAuthorizer> } {
  const lambda = model.authorizers.filter((a) => a.type === "token" || a.type === "request");
  const ids = authorizerNames(
    lambda.map((a) => a.scheme),
    new Set(operationIds),
  );
  const names = nameOperations([...operationIds, ...ids.values()], namespace);
  const authorizers = new Map<string, LocalAuthorizer>();
  for (const a of model.authorizers) {
    const id = ids.get(a.scheme);
    authorizers.set(a.scheme, id ? { ...a, module: names.get(id)!.module } : { ...a });
  }
  return { names, authorizers };
}

/** One operation's access; an operation the model does not know (none served) is open. */
export function accessOf(op: OperationAccess | undefined, authorizers: Map<string, LocalAuthorizer>): Access {
  if (!op || op.open) return { open: true, apiKey: false, scopes: [] };
  return {
    open: !op.apiKeyScheme && !op.authorizer,
    apiKey: !!op.apiKeyScheme,
    authorizer: op.authorizer ? authorizers.get(op.authorizer) : undefined,
    scopes: op.scopes,
  };
}
