import { UserError } from "../util/errors.js";
import { checkServerUrl } from "./urlCheck.js";
import type { Server } from "./types.js";

export interface ServerInputs {
  /** `--server-url` or `[server] url`: used as is. */
  overrideUrl?: string;
  /** `[server] variables`. */
  variables?: Record<string, string>;
  /** Where the spec came from, to resolve relative server URLs. */
  specLocation: string;
  specIsUrl: boolean;
  /**
   * For path- and operation-level servers: the document's base URL, against which a relative
   * URL such as `/v2` is resolved (when the spec is a local file), and configured variables
   * the server does not declare are ignored instead of refused.
   */
  documentBase?: () => string;
  /** Told when the override drops a path the spec's server declares. */
  warn?: (message: string) => void;
}

/** `//host/base` -> `https://host/base`. */
function absolutise(url: string, inputs: ServerInputs, where: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  if (url.startsWith("//")) return `https:${url}`;
  if (inputs.specIsUrl) return new URL(url || "/", inputs.specLocation).toString();
  if (inputs.documentBase && url) return new URL(url, `${inputs.documentBase()}/`).toString();
  throw new UserError(
    `${where} has ${url ? `a relative server URL "${url}"` : "no servers"}; pass --server-url https://... (or set [server] url in picofun.toml)`,
  );
}

/** Fills `{name}` placeholders from config values, then the spec's defaults. */
export function fillVariables(server: Server, configured: Record<string, string> | undefined, where: string, lenient = false): string {
  const declared = Object.keys(server.variables);
  for (const name of lenient ? [] : Object.keys(configured ?? {})) {
    if (!Object.hasOwn(server.variables, name)) {
      const list = declared.length ? declared.join(", ") : "none";
      throw new UserError(`[server] variables: "${name}" is not a variable of server ${server.url} (declared: ${list})`);
    }
  }
  return server.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const own = <T>(o: Record<string, T> | undefined): T | undefined => (o && Object.hasOwn(o, name) ? o[name] : undefined);
    const value = own(configured) ?? own(server.variables)?.default;
    if (value === undefined) {
      throw new UserError(
        `${where}: server variable "${name}" in ${server.url} has no value; set [server] variables = { ${name} = "..." } in picofun.toml`,
      );
    }
    return value;
  });
}

/**
 * Picks the base URL: the override if given, else the first of `servers` with its
 * variables filled in. Trailing slashes are removed.
 */
export function resolveServerUrl(servers: Server[], inputs: ServerInputs, where = inputs.specLocation): string {
  let url: string;
  if (inputs.overrideUrl !== undefined) {
    url = withDeclaredPath(absolutise(inputs.overrideUrl, inputs, where), servers[0], inputs);
  } else if (!servers.length) {
    url = absolutise("", inputs, where);
  } else {
    url = absolutise(fillVariables(servers[0], inputs.variables, where, !!inputs.documentBase), inputs, where);
  }
  if (inputs.overrideUrl === undefined) checkServerUrl(url, `${where}: the server URL`);
  return url.replace(/\/+$/, "");
}

/** The path the spec's server declares ("/api/v2"; "" for none), and whether the server is relative (no host). */
function declaredPath(server: Server | undefined): { path: string; relative: boolean } | undefined {
  if (!server) return undefined;
  let filled: string;
  try {
    filled = fillVariables(server, undefined, "", true);
  } catch {
    return undefined; // a variable without a default: nothing to compare with
  }
  const relative = !/^([a-z][a-z0-9+.-]*:)?\/\//i.test(filled);
  try {
    const path = new URL(filled, "http://relative.invalid/").pathname.replace(/\/+$/, "");
    return { path, relative };
  } catch {
    return undefined;
  }
}

/**
 * `--server-url` / `[server] url` with the spec's path: a URL with no path of its own takes the
 * path of a relative spec server (Swagger 2.0's `basePath` without `host`, or `servers: [{url: /api/v2}]`),
 * so `http://127.0.0.1:9093` with `basePath: /api/v2` calls `http://127.0.0.1:9093/api/v2/...`.
 * A given URL that leaves out a path the spec declares is kept as given, with a warning.
 */
function withDeclaredPath(url: string, server: Server | undefined, inputs: ServerInputs): string {
  const declared = declaredPath(server);
  if (!declared?.path) return url;
  let given: string;
  try {
    given = new URL(url).pathname.replace(/\/+$/, "");
  } catch {
    return url; // checked (and refused) by the caller's URL check
  }
  if (given === "" && declared.relative) return `${url.replace(/\/+$/, "")}${declared.path}`;
  if (!given.endsWith(declared.path)) {
    inputs.warn?.(
      `the server URL ${url} leaves out the path ${declared.path} of the spec's server ${server!.url}: calls go to ${url.replace(/\/+$/, "")}/<operation path>; add ${declared.path} to it if the server expects it`,
    );
  }
  return url;
}
