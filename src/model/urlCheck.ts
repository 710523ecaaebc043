import { UserError } from "../util/errors.js";
import { terminalSafe } from "../util/terminalText.js";

/** Why `url` (absolute, or `//host/...`) is not a URL a Lambda can call, or undefined when it is fine. */
export function serverUrlProblem(url: string): string | undefined {
  const absolute = url.startsWith("//") ? `https:${url}` : url;
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(absolute)?.[1] ?? "";
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  const opens = (host.match(/\[/g) ?? []).length;
  const closes = (host.match(/\]/g) ?? []).length;
  if (opens !== closes || opens > 1) return "unbalanced [ ] around the host (an IPv6 address is written [::1])";
  const port = /\]?:([^:\]]*)$/.exec(host.startsWith("[") ? host.slice(host.indexOf("]")) : host)?.[1];
  if (port !== undefined && port !== "" && (!/^\d+$/.test(port) || Number(port) > 65535)) return `the port "${port}" is not a number from 0 to 65535`;
  const afterAuthority = absolute.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "");
  if (/[?#]/.test(afterAuthority)) {
    return "a base URL cannot have a query (?...) or fragment (#...): each operation's path is added after it, so calls would go to the wrong path (send query parameters in the event)";
  }
  try {
    new URL(absolute);
  } catch {
    return "it does not parse as a URL";
  }
  return undefined;
}

/** Refuses an invalid server URL in one line: `what` says where it came from and so what to fix. */
export function checkServerUrl(url: string, what: string): void {
  const problem = serverUrlProblem(url);
  if (problem) throw new UserError(`${what} "${terminalSafe(url)}" is not a valid URL: ${problem}; fix it to an absolute http(s) URL such as https://api.example.com`);
}

/** Refuses a server URL given on the command line that is empty, not absolute http(s), or invalid. */
export function checkGivenServerUrl(url: string, what: string): void {
  if (!/^https?:\/\/\S/i.test(url.trim())) {
    throw new UserError(`${what} must be an absolute http(s) URL such as https://api.example.com, got "${terminalSafe(url)}"`);
  }
  checkServerUrl(url, what);
}
