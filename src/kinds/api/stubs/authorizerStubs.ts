/** Data of the Lambda authorizer stubs (user-owned, created once in handlers/, deny by default). */
import { jsString, pyDocstring, pyString } from "../../../render/escape.js";
import type { AuthorizerPlan } from "../gateway/security.js";
import { jsComment, type StubLanguage } from "./stubs.js";

export interface AuthorizerStubData {
  /** Python: docstring and imports; Node: unused. */
  head: string;
  /** Node: the block comment lines. */
  header: string[];
  /** Lines that set `credential` from the event (indented for the language). */
  read: string;
}

/**
 * Ids (made unique against the operationIds) the Lambda authorizer functions are named from,
 * `authorize_{scheme}`; `generate` and `serve` both name authorizer stubs with it.
 */
export function authorizerNames(schemes: string[], taken: Set<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const scheme of schemes) {
    let id = `authorize_${scheme}`;
    for (let n = 2; taken.has(id); n++) id = `authorize_${scheme}_${n}`;
    taken.add(id);
    out.set(scheme, id);
  }
  return out;
}

const PY_HEADERS = '    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}';
const JS_HEADERS = "  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));";

/** `credential = SOURCE.get(KEY) or ""`, parenthesised the way ruff format does when too long. */
function pyGet(source: string, key: string): string {
  const line = `    credential = ${source}.get(${key}) or ""`;
  return line.length <= 88 ? line : `    credential = (\n        ${source}.get(${key}) or ""\n    )`;
}

function pyRead(a: AuthorizerPlan): { imports: string[]; read: string } {
  if (a.type === "token") {
    return {
      imports: [],
      read: ['    token = event.get("authorizationToken") or ""', '    scheme, _, credential = token.partition(" ")', '    if scheme.lower() != "bearer":', '        credential = ""'].join("\n"),
    };
  }
  if (a.credential === "http basic") {
    return {
      imports: ["base64", "binascii"],
      read: [
        PY_HEADERS,
        '    scheme, _, encoded = (headers.get("authorization") or "").partition(" ")',
        "    try:",
        '        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")',
        "    except (binascii.Error, UnicodeDecodeError):",
        '        decoded = ""',
        '    # "user:password"',
        '    credential = decoded if scheme.lower() == "basic" and ":" in decoded else ""',
      ].join("\n"),
    };
  }
  const key = pyString(a.source.in === "header" ? a.source.name.toLowerCase() : a.source.name);
  if (a.source.in === "query") return { imports: [], read: ['    query = event.get("queryStringParameters") or {}', pyGet("query", key)].join("\n") };
  if (a.source.in === "cookie") {
    return {
      imports: ["http.cookies"],
      read: [PY_HEADERS, '    cookies = http.cookies.SimpleCookie(headers.get("cookie") or "")', `    morsel = cookies.get(${key})`, '    credential = morsel.value if morsel else ""'].join("\n"),
    };
  }
  return { imports: [], read: [PY_HEADERS, pyGet("headers", key)].join("\n") };
}

function jsRead(a: AuthorizerPlan): string {
  if (a.type === "token") {
    return ['  const token = event.authorizationToken ?? "";', '  const credential = /^bearer\\s+/i.test(token) ? token.replace(/^bearer\\s+/i, "") : "";'].join("\n");
  }
  if (a.credential === "http basic") {
    return [
      JS_HEADERS,
      '  const auth = Object.hasOwn(headers, "authorization") ? headers.authorization : "";',
      '  const decoded = /^basic\\s+/i.test(auth) ? Buffer.from(auth.replace(/^basic\\s+/i, ""), "base64").toString("utf8") : "";',
      '  const credential = decoded.includes(":") ? decoded : ""; // "user:password"',
    ].join("\n");
  }
  const key = jsString(a.source.in === "header" ? a.source.name.toLowerCase() : a.source.name);
  if (a.source.in === "query") return ["  const query = event.queryStringParameters ?? {};", `  const credential = Object.hasOwn(query, ${key}) ? query[${key}] : "";`].join("\n");
  if (a.source.in === "cookie") {
    return [
      JS_HEADERS,
      '  const cookies = (Object.hasOwn(headers, "cookie") ? headers.cookie : "").split(";").map((c) => c.trim());',
      `  const pair = cookies.find((c) => c.startsWith(${key} + "="));`,
      `  const credential = pair ? pair.slice(${key}.length + 1) : "";`,
    ].join("\n");
  }
  return [JS_HEADERS, `  const credential = Object.hasOwn(headers, ${key}) ? headers[${key}] : "";`].join("\n");
}

function where(a: AuthorizerPlan): string {
  if (a.type === "token") return "the bearer token of the Authorization header";
  if (a.credential === "http basic") return 'the "user:password" of an Authorization: Basic header';
  return `the ${a.source.in} "${a.source.name}"`;
}

/** Everything an authorizer stub template places, pre-escaped for its language. */
export function authorizerStubData(a: AuthorizerPlan, functionName: string, operations: string[], lang: StubLanguage): AuthorizerStubData {
  const title = `Lambda authorizer of the security scheme "${a.scheme}" (${a.credential}).`;
  const how = `API Gateway runs it before each operation that requires the scheme (a ${a.type.toUpperCase()} authorizer) and passes ${where(a)}. It DENIES EVERY REQUEST until is_allowed says otherwise: write your check there. A missing credential is answered 401, a denied one 403. Results are not cached (authorizerResultTtlInSeconds 0).`.replace(
    "is_allowed",
    lang === "node" ? "isAllowed" : "is_allowed",
  );
  const ops = operations.length > 12 ? [...operations.slice(0, 12), `and ${operations.length - 12} more`] : operations;
  const used = `Operations: ${ops.join(", ")}.`;
  const owned = `Lambda function ${functionName}. picofun created this file once and never overwrites it: it is yours to edit.`;
  if (lang === "node") {
    return { head: "", header: jsComment([title, ...(a.description ? ["", a.description] : []), "", how, "", used, "", owned]), read: jsRead(a) };
  }
  const { imports, read } = pyRead(a);
  const docstring = pyDocstring(title, a.description, how, used, owned);
  // typing.Any: the stub is mypy --strict clean as generated.
  return { head: `${docstring}\n\n${[...imports.map((i) => `import ${i}`), "from typing import Any"].join("\n")}`, header: [], read };
}
