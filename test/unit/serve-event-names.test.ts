import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { proxyEvent, type RawRequest } from "../../src/local/event.js";

const OPTIONS = { resource: "/orders", pathParameters: {}, stage: "v1", binaryMediaTypes: [] };

function request(headers: Array<[string, string]>, query: Array<[string, string]>): RawRequest {
  return { method: "GET", path: "/orders", headers, query, body: Buffer.alloc(0) };
}

/** What API Gateway puts in the event for pairs: the last value of each name, and all values in order. */
function expected(pairs: Array<[string, string]>): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single = new Map<string, string>();
  const multi = new Map<string, string[]>();
  for (const [k, v] of pairs) {
    single.set(k, v);
    multi.set(k, [...(multi.get(k) ?? []), v]);
  }
  return { single: Object.fromEntries(single), multi: Object.fromEntries(multi) };
}

describe("proxy events keep every header and query name as data", () => {
  it("__proto__ and other Object.prototype names are plain entries (schemathesis found __proto__ answering 502)", () => {
    const pairs: Array<[string, string]> = [["__proto__", "a"], ["constructor", "b"], ["__proto__", "c"], ["toString", "d"]];
    const event = proxyEvent(request(pairs, pairs), OPTIONS);
    // Through JSON, as the event reaches the handler's worker.
    const seen = JSON.parse(JSON.stringify(event));
    const want = expected(pairs);
    for (const key of ["headers", "queryStringParameters"]) expect(Object.entries(seen[key])).toEqual(Object.entries(want.single));
    for (const key of ["multiValueHeaders", "multiValueQueryStringParameters"]) expect(Object.entries(seen[key])).toEqual(Object.entries(want.multi));
  });

  it("any names, hostile ones included, reach the handler exactly", () => {
    const name = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "valueOf", "__defineGetter__"), fc.string({ minLength: 1, maxLength: 12 }));
    const pairs = fc.array(fc.tuple(name, fc.string({ maxLength: 12 })), { maxLength: 12 });
    fc.assert(
      fc.property(pairs, pairs, (headers, query) => {
        const seen = JSON.parse(JSON.stringify(proxyEvent(request(headers, query), OPTIONS)));
        const h = expected(headers);
        const q = expected(query);
        expect(seen.headers === null ? {} : Object.fromEntries(Object.entries(seen.headers))).toEqual(h.single);
        expect(seen.multiValueHeaders === null ? {} : seen.multiValueHeaders).toEqual(h.multi);
        expect(seen.queryStringParameters === null ? {} : seen.queryStringParameters).toEqual(q.single);
        expect(seen.multiValueQueryStringParameters === null ? {} : seen.multiValueQueryStringParameters).toEqual(q.multi);
      }),
      { numRuns: 300 },
    );
  });
});
