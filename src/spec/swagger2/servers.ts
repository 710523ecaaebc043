/** Swagger 2.0's host, basePath and schemes as OpenAPI 3 servers. */
import { strings, type Obj } from "./walk.js";

export function serversFrom(doc: Obj, warnings: string[]): Obj[] {
  let host = typeof doc.host === "string" ? doc.host.trim().replace(/\/+$/, "") : "";
  const written = /^([a-z][a-z0-9+.-]*):\/\//i.exec(host);
  if (written) {
    // `host` must not hold a scheme, but some documents put a whole URL there.
    warnings.push(`host "${host}" includes a scheme; using it as the scheme`);
    host = host.slice(written[0].length);
    if (doc.schemes === undefined) doc = { ...doc, schemes: [written[1].toLowerCase()] };
  }
  let basePath = typeof doc.basePath === "string" ? doc.basePath.trim() : "";
  if (basePath && !basePath.startsWith("/")) basePath = `/${basePath}`;
  basePath = basePath.replace(/\/+$/, "");
  if (!host) {
    // No host: the API lives where the document is served; a relative server says so.
    return basePath ? [{ url: basePath }] : [];
  }
  const schemes = (strings(doc.schemes) ?? []).map((s) => s.toLowerCase()).filter((s) => s === "https" || s === "http" || s === "ws" || s === "wss");
  const ordered = schemes.length ? [...new Set(schemes)].sort((a, b) => rank(a) - rank(b)) : ["https"];
  if (!schemes.length && doc.schemes !== undefined) warnings.push(`schemes ${JSON.stringify(doc.schemes)} has no usable scheme; using https`);
  return ordered.map((scheme) => ({ url: `${scheme}://${host}${basePath}` }));
}

function rank(scheme: string): number {
  return ["https", "http", "wss", "ws"].indexOf(scheme);
}
