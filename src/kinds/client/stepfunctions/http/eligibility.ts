/**
 * Which endpoints an HTTP Task can call (`arn:aws:states:::http:invoke`), and why the others stay
 * Lambda clients. Pure: decided from the model, the endpoint's server URL, the auth choice and the
 * config, so the IaC emitters never need to know.
 */
import type { PicofunConfig } from "../../../../config/types.js";
import type { Endpoint, Parameter } from "../../../../model/types.js";
import { choose, requirementsFor, type SupportedScheme } from "../../auth/schemes.js";
import type { ApiModel } from "../../../../model/types.js";
import { quoteName } from "./jsonata.js";

/**
 * Headers an HTTP Task refuses (the state fails with States.Runtime), as AWS's "Call HTTPS APIs"
 * page lists them, plus Authorization (refused when the definition is saved; the connection sets
 * it) and Cookie (picofun keeps cookies to the Lambda client).
 */
export const REFUSED_HEADERS = [
  "a-im", "accept-charset", "accept-datetime", "accept-encoding", "authorization", "cache-control", "connection",
  "content-encoding", "content-length", "content-md5", "cookie", "date", "expect", "forwarded", "from", "host",
  "http2-settings", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since",
  "max-forwards", "origin", "pragma", "proxy-authorization", "range", "referer", "server", "te", "trailer",
  "transfer-encoding", "upgrade", "via", "warning",
];
const REFUSED_PREFIXES = ["x-forwarded-", "x-amz-", "x-amzn-"];

export function refusedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return REFUSED_HEADERS.includes(lower) || REFUSED_PREFIXES.some((p) => lower.startsWith(p));
}

/** The methods an HTTP Task's `Method` takes. */
export const HTTP_TASK_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];

/** Body media types an HTTP Task sends: JSON (RequestBody as is) and forms (its URL_ENCODED transform). */
export type BodyEncoding = "json" | "form";

export function bodyEncoding(contentType: string): BodyEncoding | undefined {
  const media = contentType.split(";")[0].trim().toLowerCase();
  if (media === "application/json" || media === "text/json" || media.endsWith("+json")) return "json";
  if (media === "application/x-www-form-urlencoded") return "form";
  return undefined;
}

export type Verdict =
  | { kind: "http"; scheme?: SupportedScheme; scopes: string[]; body?: BodyEncoding; serverUrl: string }
  | { kind: "lambda"; reason: string };

function authVerdict(model: ApiModel, e: Endpoint, config: PicofunConfig): { scheme?: SupportedScheme; scopes: string[] } | string {
  if (!config.auth.enabled) return { scopes: [] };
  const choice = choose(requirementsFor(model, e), model.securitySchemes);
  if (choice.kind === "none") return { scopes: [] };
  if (choice.kind === "unsupported") return `security picofun cannot apply (${choice.schemes.join(", ")})`;
  if (choice.schemes.length > 1) return `AND-combined security (${choice.schemes.map((s) => s.name).join(" + ")}): a connection holds one credential`;
  const s = choice.schemes[0];
  const scopes = choice.requirement[s.name] ?? [];
  switch (s.kind) {
    case "mutual-tls":
      return "mutual TLS: HTTP Tasks do not support client certificates";
    case "oauth2-token":
      return `OAuth2 ${s.flows ?? ""} (a person's token): connections do only the client-credentials grant`.replace("  ", " ");
    case "api-key":
      if (s.location === "cookie") return "API key in a cookie: HTTP Tasks refuse the Cookie header";
      if (refusedHeader(s.paramName ?? "") && s.paramName?.toLowerCase() !== "authorization") return `API key in header ${s.paramName}, which HTTP Tasks refuse`;
      return { scheme: s, scopes };
    case "oauth2":
      if (!/^https:\/\//i.test(s.tokenUrl ?? "")) return "OAuth2 token URL is not an absolute https:// URL";
      return { scheme: s, scopes };
    default:
      return { scheme: s, scopes };
  }
}

/** The query styles an HTTP Task's JSONata writes. */
const QUERY_STYLES = ["form", "spaceDelimited", "pipeDelimited", "deepObject"];

/** Whether text is valid UTF-16 (no lone surrogate): `isWellFormed` where there is one (Node 20), else whether it percent-encodes. */
const wellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === "function"
    ? (text) => (text as string & { isWellFormed(): boolean }).isWellFormed()
    : (text) => quoteName(text) !== undefined;

/** RFC 9110 token characters only: the Lambda client refuses any other header name too. */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Why a parameter keeps its endpoint a Lambda client, if it does (styles as `styleOf` fills them in). */
function parameterReason(p: Parameter): string | undefined {
  if (!wellFormed(p.name)) return `parameter name ${JSON.stringify(p.name)} is not valid Unicode`;
  switch (p.in) {
    case "cookie":
      return `cookie parameter ${p.name}: HTTP Tasks refuse the Cookie header`;
    case "header":
      if (refusedHeader(p.name)) return `header ${p.name}, which HTTP Tasks refuse or replace`;
      if (!HTTP_TOKEN.test(p.name)) return `header name ${JSON.stringify(p.name)} is not an HTTP token`;
      return undefined;
    case "path": {
      const style = p.style ?? "simple";
      return style === "simple" ? undefined : `path parameter ${p.name} has style ${style}`;
    }
    case "query": {
      if (p.allowReserved) return `query parameter ${p.name} has allowReserved`;
      const style = p.style ?? "form";
      return QUERY_STYLES.includes(style) ? undefined : `query parameter ${p.name} has style ${style}`;
    }
    default:
      return undefined;
  }
}

/** HTTP Task or Lambda client for one endpoint, and why. */
export function eligibility(model: ApiModel, e: Endpoint, serverUrl: string, config: PicofunConfig): Verdict {
  if (!/^https:\/\//i.test(serverUrl)) return { kind: "lambda", reason: `server ${serverUrl} is not HTTPS` };
  if (!HTTP_TASK_METHODS.includes(e.method.toUpperCase())) return { kind: "lambda", reason: `method ${e.method.toUpperCase()}: an HTTP Task sends ${HTTP_TASK_METHODS.join(", ")}` };
  if (config.preprocessor || config.postprocessor) return { kind: "lambda", reason: "pre/postprocessor hooks run in the Lambda client" };
  // (Indexed: this runs for every parameter of every endpoint, mostly before the JIT optimises it.)
  const params = e.parameters;
  for (let i = 0; i < params.length; i++) {
    const reason = parameterReason(params[i]);
    if (reason !== undefined) return { kind: "lambda", reason };
  }
  const cursor = config.pagination.cursorParam;
  if (cursor && e.parameters.some((p) => p.in === "query" && p.name === cursor)) {
    return { kind: "lambda", reason: `pagination ([pagination] cursor_param ${cursor}): the Lambda client follows the pages` };
  }
  let body: BodyEncoding | undefined;
  if (e.requestBody) {
    body = bodyEncoding(e.requestBody.contentType);
    if (!body) return { kind: "lambda", reason: `request body ${e.requestBody.contentType}: an HTTP Task sends JSON or form bodies` };
  }
  const auth = authVerdict(model, e, config);
  if (typeof auth === "string") return { kind: "lambda", reason: auth };
  return { kind: "http", ...auth, body, serverUrl };
}
