import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveServerUrl } from "../../src/model/servers.js";
import { serverUrlProblem } from "../../src/model/urlCheck.js";
import type { Server } from "../../src/model/types.js";

const local = { specLocation: "/tmp/spec.yaml", specIsUrl: false };
const server = (url: string): Server[] => [{ url, variables: {} }];

function resolve(servers: Server[], overrideUrl: string): { url: string; warnings: string[] } {
  const warnings: string[] = [];
  const url = resolveServerUrl(servers, { ...local, overrideUrl, warn: (m) => warnings.push(m) });
  return { url, warnings };
}

describe("a relative server (or Swagger 2.0 basePath without host) against --server-url", () => {
  it("takes the spec's path when the given URL has none (Alertmanager: basePath /api/v2/, no host)", () => {
    expect(resolve(server("/api/v2"), "http://127.0.0.1:9093")).toEqual({ url: "http://127.0.0.1:9093/api/v2", warnings: [] });
    expect(resolve(server("/api/v2/"), "http://127.0.0.1:9093/")).toEqual({ url: "http://127.0.0.1:9093/api/v2", warnings: [] });
    expect(resolve(server("api/v2"), "http://[::1]:9093").url).toBe("http://[::1]:9093/api/v2");
  });

  it("keeps a given URL that has the path, and warns when a given URL leaves out the spec's path", () => {
    expect(resolve(server("/api/v2"), "http://127.0.0.1:9093/api/v2")).toEqual({ url: "http://127.0.0.1:9093/api/v2", warnings: [] });
    const other = resolve(server("/api/v2"), "http://127.0.0.1:9093/proxy");
    expect(other.url).toBe("http://127.0.0.1:9093/proxy");
    expect(other.warnings).toEqual([expect.stringMatching(/leaves out the path \/api\/v2 of the spec's server \/api\/v2/)]);
    // An absolute spec server: a host-only URL is kept (mock servers such as Prism serve the paths at the root), with the warning.
    const mock = resolve(server("https://api.example.com/v1"), "http://127.0.0.1:4010");
    expect(mock.url).toBe("http://127.0.0.1:4010");
    expect(mock.warnings).toEqual([expect.stringMatching(/leaves out the path \/v1 of the spec's server https:\/\/api\.example\.com\/v1/)]);
    expect(resolve(server("https://api.example.com"), "http://127.0.0.1:4010").warnings).toEqual([]);
    expect(resolve([], "http://127.0.0.1:4010").warnings).toEqual([]);
  });

  it("property: a host-only URL plus a relative server gives that host with the server's path, with no warning", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/).filter((s) => s !== "." && s !== "..");
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 65535 }), fc.boolean(), (parts, port, slash) => {
        const path = `/${parts.join("/")}`;
        const { url, warnings } = resolve(server(`${path}${slash ? "/" : ""}`), `http://127.0.0.1:${port}${slash ? "/" : ""}`);
        expect(url).toBe(`http://127.0.0.1:${port}${path}`);
        expect(warnings).toEqual([]);
      }),
    );
  });
});

describe("server URLs with a query or fragment", () => {
  it("are refused: the operation path would be appended after the query", () => {
    expect(serverUrlProblem("http://127.0.0.1:9/base?tenant=1")).toMatch(/cannot have a query/);
    expect(serverUrlProblem("http://127.0.0.1:9/base#x")).toMatch(/cannot have a query \(\?\.\.\.\) or fragment/);
    expect(serverUrlProblem("https://h?x")).toMatch(/cannot have a query/);
    expect(serverUrlProblem("https://api.example.com/v1")).toBeUndefined();
  });

  it("property: any URL with ? or # after the host is refused", () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const tail = url.replace(/^[a-z]+:\/\/[^/?#]*/i, "");
        expect(serverUrlProblem(url) !== undefined || !/[?#]/.test(tail)).toBe(true);
        if (/[?#]/.test(tail)) expect(serverUrlProblem(url)).toMatch(/query|fragment/);
      }),
    );
  });
});
