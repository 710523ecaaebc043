/** Names in a generated CDK app, made from the namespace. */
import { LAMBDA_NAME_MAX } from "../../naming/functionName.js";

/** "orders" -> "Orders", "my-shop_v2" -> "MyShopV2". */
export function pascalCase(namespace: string): string {
  return namespace
    .split(/[-_]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

/** The construct class of a kind: OrdersFunctions (client) or OrdersApi (api). */
export function constructClass(namespace: string, kind: "client" | "api"): string {
  return `${pascalCase(namespace)}${kind === "api" ? "Api" : "Functions"}`;
}

/** The construct's file under lib/, without .ts: orders-functions, orders-api. */
export function constructFile(namespace: string, kind: "client" | "api"): string {
  return `${namespace.toLowerCase().replace(/_/g, "-")}-${kind === "api" ? "api" : "functions"}`;
}

/** CloudFormation stack names allow letters, digits and '-': the namespace with '_' as '-'. */
export function stackName(namespace: string): string {
  return namespace.replace(/_/g, "-");
}

/**
 * The longest namespace the construct accepts: its functions are `{namespace}_{suffix}` (the
 * generated names without the generated namespace) within Lambda's 64 characters.
 */
export function namespaceMax(namespace: string, functionNames: string[]): number {
  const longest = functionNames.reduce((m, n) => Math.max(m, n.length - namespace.length - 1), 0);
  return LAMBDA_NAME_MAX - 1 - longest;
}
