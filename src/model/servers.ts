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
    if (!(name in server.variables)) {
      const list = declared.length ? declared.join(", ") : "none";
      throw new UserError(`[server] variables: "${name}" is not a variable of server ${server.url} (declared: ${list})`);
    }
  }
  return server.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = configured?.[name] ?? server.variables[name]?.default;
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
    url = absolutise(inputs.overrideUrl, inputs, where);
  } else if (!servers.length) {
    url = absolutise("", inputs, where);
  } else {
    url = absolutise(fillVariables(servers[0], inputs.variables, where, !!inputs.documentBase), inputs, where);
  }
  if (inputs.overrideUrl === undefined) checkServerUrl(url, `${where}: the server URL`);
  return url.replace(/\/+$/, "");
}
