/**
 * issue 28, property-based: generated hostile handler results and hostile request targets, query
 * and header names, all against one `picofun serve`. Whatever is generated, serve answers with a
 * status (never hangs, never exits); a result is served as given only when it is a valid proxy
 * response, anything else is API Gateway's 502.
 */
import fc from "fast-check";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO } from "../support/env.js";
import { hostileProject } from "../support/hostileProject.js";
import { rawRequest } from "../support/rawHttp.js";
import { startServeCli, type ServeProcess } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";

const PYTHON = { PICOFUN_PYTHON: join(REPO, ".cache", "venv", "bin", "python") };
const INTERNAL = JSON.stringify({ message: "Internal server error" });

const TOKEN_CHARS = "!#$%&'*+.^_`|~-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");
/** Names whose meaning is framing or the connection's: the examples test Content-Length; these stay out of the valid ones. */
const FRAMING = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "trailer", "te", "proxy-connection"]);
const PROTO_NAMES = ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf", "__defineGetter__"];

const token = fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.array(fc.constantFrom(...TOKEN_CHARS), { minLength: 1, maxLength: 16 }).map((c) => c.join(""))).filter((n) => !FRAMING.has(n.toLowerCase()));
/** A header value HTTP can carry: tab, printable ASCII and Latin-1 (no CR, LF, other controls). */
const latin1 = fc.array(fc.oneof(fc.constant(9), fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })), { maxLength: 30 }).map((cs) => String.fromCharCode(...cs));
/** Characters that make a header value invalid. */
const badValueChar = fc.constantFrom("\r", "\n", "\r\n", "\0", "\x7f", "\x1b", "€", "\u2028", "\u{1F600}", "Ā");
const badNameChar = fc.constantFrom(" ", ":", "(", ")", "\t", "\n", "é", "/", "@", "\"", "€");
const text = fc.string({ unit: "binary", maxLength: 200 });

/** JSON text of a map from entries (keys such as __proto__ stay keys). */
const jsonMap = (entries: Array<[string, string]>) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;

interface Generated {
  /** JSON text of the result (may hold NaN/Infinity, which Python's json.loads reads). */
  json: string;
  /** The status it must be answered with. */
  expect: number;
  why: string;
}

const validResult = fc.record({
  status: fc.integer({ min: 200, max: 599 }),
  asString: fc.boolean(),
  headers: fc.array(fc.tuple(token, latin1), { maxLength: 6 }),
  multi: fc.array(fc.tuple(token, fc.array(latin1, { minLength: 1, maxLength: 3 })), { maxLength: 3 }),
  body: fc.option(text, { nil: null }),
  base64: fc.boolean(),
});
type Valid = typeof validResult extends fc.Arbitrary<infer T> ? T : never;

function render(v: Valid, patch: { headers?: Array<[string, string]>; extra?: Array<[string, string]>; status?: string; body?: string } = {}): string {
  // The patch goes last: of duplicate keys in JSON the last one counts.
  const headers = v.headers.map(([k, val]): [string, string] => [k, JSON.stringify(val)]).concat(patch.headers ?? []);
  const parts: Array<[string, string]> = [
    ["statusCode", patch.status ?? (v.asString ? JSON.stringify(String(v.status)) : String(v.status))],
    ["headers", jsonMap(headers)],
    ["multiValueHeaders", jsonMap(v.multi.map(([k, vs]) => [k, JSON.stringify(vs)]))],
    ["body", patch.body ?? (v.body === null ? "null" : JSON.stringify(v.base64 ? Buffer.from(v.body).toString("base64") : v.body))],
    ["isBase64Encoded", String(v.base64 && v.body !== null && patch.body === undefined)],
    ...(patch.extra ?? []),
  ];
  return jsonMap(parts);
}

const NUMBERS = fc.constantFrom("NaN", "Infinity", "-Infinity");
const hostileResult: fc.Arbitrary<Generated> = fc.oneof(
  validResult.map((v) => ({ json: render(v), expect: v.status, why: "valid" })),
  fc.tuple(validResult, token, latin1, badValueChar, fc.nat()).map(([v, name, value, bad, at]) => {
    const i = at % (value.length + 1);
    // A name of its own: multiValueHeaders of the same name would replace it.
    return { json: render(v, { headers: [[`X-Bad-${name}`, JSON.stringify(value.slice(0, i) + bad + value.slice(i))]] }), expect: 502, why: "bad header value" };
  }),
  fc.tuple(validResult, token, badNameChar, fc.nat()).map(([v, name, bad, at]) => {
    const i = at % (name.length + 1);
    return { json: render(v, { headers: [[name.slice(0, i) + bad + name.slice(i), '"v"']] }), expect: 502, why: "bad header name" };
  }),
  fc.tuple(validResult, NUMBERS, fc.constantFrom("status", "header", "extra")).map(([v, n, where]) => ({
    json: where === "status" ? render(v, { status: n }) : where === "header" ? render(v, { headers: [["X-N", n]] }) : render(v, { extra: [["cookies", `[${n}]`]] }),
    expect: 502,
    why: `${n} in ${where}`,
  })),
  fc.tuple(validResult, fc.constantFrom("42", "true", '{"a": 1}', "[1, 2]")).map(([v, body]) => ({ json: render(v, { body }), expect: 502, why: "body not a string" })),
  fc.tuple(validResult, fc.oneof(fc.integer({ min: -1000, max: 199 }).map(String), fc.integer({ min: 600, max: 100_000 }).map(String), fc.constantFrom('"abc"', "1.5", "null", "[]", '"2OO"', '"099"'))).map(([v, s]) => ({ json: render(v, { status: s }), expect: 502, why: "bad statusCode" })),
  fc.tuple(validResult, fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded", "cookies"].includes(k))).map(([v, k]) => ({ json: render(v, { extra: [[k, "1"]] }), expect: 502, why: "unexpected key" })),
  fc.tuple(validResult, fc.integer({ min: 0, max: 1000 })).map(([v, n]) => {
    const length = Buffer.byteLength(v.body ?? "");
    const wrong = n === length ? n + 1 : n;
    return { json: render({ ...v, base64: false }, { headers: [["Content-Length", JSON.stringify(String(wrong))]] }), expect: 502, why: "Content-Length mismatch" };
  }),
  fc.constantFrom('"a string"', "42", "[1, 2]", "null", "true", "NaN").map((json) => ({ json, expect: 502, why: "not an object" })),
);

describeWithTools("picofun serve: property-based hostile results and requests (issue 28)", ["python"], () => {
  let serve: ServeProcess;
  beforeAll(async () => {
    serve = await startServeCli(hostileProject(), ["--workers", "2"], PYTHON);
  }, 120_000);
  afterAll(async () => {
    await serve?.stop();
  });

  it("answers every generated result with a status: the given one only for a valid proxy response, else 502", async () => {
    await fc.assert(
      fc.asyncProperty(hostileResult, async (g) => {
        const res = await fetch(`${serve.url}/result`, { method: "POST", body: `{"result": ${g.json}}`, signal: AbortSignal.timeout(30_000) });
        const body = await res.text();
        expect(res.status, `${g.why}: ${g.json}`).toBe(g.expect);
        if (g.expect === 502 && g.why !== "valid") expect(body).toBe(INTERNAL);
      }),
      { numRuns: 150 },
    );
    expect(serve.child.exitCode).toBeNull();
  }, 240_000);

  it("answers every generated query and header name (prototype names among them) and passes them to the handler as sent", async () => {
    const pairs = fc.array(fc.tuple(token, fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(pairs, fc.array(fc.tuple(token, latin1.map((v) => v.trim())), { maxLength: 5 }), async (query, headers) => {
        const qs = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
        const head = `GET /echo?${qs} HTTP/1.1\r\nHost: x\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}Connection: close\r\n\r\n`;
        const answer = await rawRequest(serve.url, head);
        expect(answer.status, head).toBe(200);
        const seen = JSON.parse(answer.text.slice(answer.text.indexOf("\r\n\r\n") + 4), (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.entries(v) : v)) as Array<[string, unknown]>;
        const multi = seen.find(([k]) => k === "multiQuery")![1] as Array<[string, string[]]>;
        const expected = new Map<string, string[]>();
        for (const [k, v] of query) expected.set(k, [...(expected.get(k) ?? []), v]);
        // (Object.entries lists integer-like keys first: compare sorted.)
        const sorted = (e: Array<[string, string[]]>) => [...e].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        expect(sorted(multi)).toEqual(sorted([...expected.entries()]));
        const names = seen.find(([k]) => k === "headers")![1] as string[];
        for (const [k] of headers) expect(names).toContain(k);
      }),
      { numRuns: 80 },
    );
  }, 240_000);

  it("answers every generated request target with a status below 500 and keeps answering", async () => {
    const hostileChar = fc.constantFrom("%", "%zz", "%00", "%E2%82", "[", "]", "@", ":", "//", "..", "?", "#", "\\", "{", "}", "|", "^", "`", "é", "\u2028", "\x7f", "\x01", " ");
    const target = fc.oneof(
      fc.array(fc.oneof(hostileChar, fc.constantFrom("echo", "result", "a", "/")), { maxLength: 12 }).map((p) => `/${p.join("")}`),
      fc.array(fc.oneof(hostileChar, fc.constantFrom("http://", "[", "a", "/", ":99999")), { maxLength: 8 }).map((p) => `http://${p.join("")}`),
      fc.constantFrom("*", "http://[/", "http://[::1", "//", "?", "/echo?&&=&=="),
    );
    await fc.assert(
      fc.asyncProperty(target, async (t) => {
        const answer = await rawRequest(serve.url, `GET ${t} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        expect(answer.status, JSON.stringify(t)).toBeDefined();
        expect(answer.status!, JSON.stringify(t)).toBeLessThan(500);
      }),
      { numRuns: 120 },
    );
    expect(serve.child.exitCode).toBeNull();
    const res = await fetch(`${serve.url}/echo?x=1`);
    expect(res.status).toBe(200);
  }, 240_000);
});
