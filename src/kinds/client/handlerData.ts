import type { PicofunConfig } from "../../config/types.js";
import type { Endpoint, Parameter } from "../../model/types.js";
import type { NamedEndpoint } from "../../naming/functionName.js";
import { pyDocstring, pyOptional, pyString } from "../../render/escape.js";

/** Data for one client handler template; every value that ends up in code is already a Python literal. */
export interface HandlerData {
  module: string;
  functionName: string;
  docstring: string;
  /** What the handler imports from picorun. */
  imports: string;
  method: string;
  path: string;
  serverUrl: string;
  parameters: Array<{ args: string[] }>;
  bodyContentType: string;
  bodyRequired: string;
  preprocessor: string;
  postprocessor: string;
  security: string;
  raw: { method: string; path: string; operationId?: string; summary?: string };
}

const DEFAULT_STYLE: Record<string, string> = { path: "simple", header: "simple", query: "form", cookie: "form" };

function parameterArgs(p: Parameter): string[] {
  const args = [pyString(p.name), pyString(p.in)];
  if (p.required) args.push("required=True");
  const style = p.style && p.style !== DEFAULT_STYLE[p.in] ? p.style : undefined;
  if (style) args.push(`style=${pyString(style)}`);
  const defaultExplode = (p.style ?? DEFAULT_STYLE[p.in]) === "form";
  if (p.explode !== undefined && p.explode !== defaultExplode) args.push(`explode=${p.explode ? "True" : "False"}`);
  if (p.allowReserved) args.push("allow_reserved=True");
  return args;
}

/** Python literal for the security seam: None (use the spec's default), () (no credentials) or names. */
export function securityLiteral(schemes: string[] | null | undefined): string {
  if (schemes === undefined) return "None";
  if (schemes === null || !schemes.length) return "()";
  // One name needs the tuple comma; with more, a trailing comma would make ruff explode the tuple.
  return schemes.length === 1 ? `(${pyString(schemes[0])},)` : `(${schemes.map(pyString).join(", ")})`;
}

export function handlerData(
  named: NamedEndpoint,
  serverUrl: string,
  config: PicofunConfig,
  security: string[] | null | undefined,
): HandlerData {
  const e: Endpoint = named.endpoint;
  const title = `${named.functionName}: ${e.method.toUpperCase()} ${e.path}`;
  const summary = e.summary && e.description && e.description.startsWith(e.summary) ? undefined : e.summary;
  return {
    module: named.module,
    functionName: pyString(named.functionName),
    docstring: pyDocstring(title, summary, e.description),
    imports: e.parameters.length ? "Endpoint, Parameter" : "Endpoint",
    method: pyString(e.method.toUpperCase()),
    path: pyString(e.path),
    serverUrl: pyString(serverUrl),
    parameters: e.parameters.map((p) => ({ args: parameterArgs(p) })),
    bodyContentType: pyOptional(e.requestBody?.contentType),
    bodyRequired: e.requestBody?.required ? "True" : "False",
    preprocessor: pyOptional(config.preprocessor),
    postprocessor: pyOptional(config.postprocessor),
    security: securityLiteral(security),
    raw: { method: e.method.toUpperCase(), path: e.path, operationId: e.operationId, summary: e.summary },
  };
}
