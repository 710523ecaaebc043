import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../src/pipeline/generate.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { describeRequest, formPairs, lowerKeys, recordingServer, TRANSPORT_HEADERS, type DescribedRequest, type Recorded } from "../support/httpTask.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";

const SPEC = join(REPO, "test", "fixtures", "http-tasks.yaml");
const SERVER = "https://api.example.com";
type State = { Arguments: Record<string, unknown> } & Record<string, unknown>;

function state(out: string, fn: string): State {
  return JSON.parse(readFileSync(join(out, "stepfunctions", "http", `${fn}.json`), "utf8")) as State;
}

/** The generated Lambda clients, each called with its event against the recording server, in one Python process. */
async function sendAll(out: string, server: string, calls: Array<{ module: string; event: unknown }>): Promise<Array<{ ok: boolean; message?: string }>> {
  const request = { layer: join(out, "layer"), lambdas: join(out, "lambdas"), server: `${server}/v1`, calls };
  const res = await runPython([join(REPO, "test", "support", "http_task_client.py")], JSON.stringify(request));
  if (res.code !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout.trim().split("\n").pop() ?? "[]") as Array<{ ok: boolean; message?: string }>;
}

/** What differs between the request a Task state describes and the one the Lambda client sent ([] when none). */
function differences(described: DescribedRequest, sent: Recorded): string[] {
  const out: string[] = [];
  if (described.method !== sent.method) out.push(`method ${described.method} != ${sent.method}`);
  if (!described.url.startsWith(SERVER)) out.push(`url ${described.url} is not on ${SERVER}`);
  else if (described.url.slice(SERVER.length) !== sent.target) out.push(`target ${described.url.slice(SERVER.length)} != ${sent.target}`);
  const headers = lowerKeys(described.headers);
  const got = lowerKeys(sent.headers, TRANSPORT_HEADERS);
  if (JSON.stringify(Object.entries(headers).sort()) !== JSON.stringify(Object.entries(got).sort())) {
    out.push(`headers ${JSON.stringify(headers)} != ${JSON.stringify(got)}`);
  }
  if (described.transform?.RequestBodyEncoding === "URL_ENCODED") {
    const expected = formPairs(described.body);
    const actual = [...new URLSearchParams(sent.body)];
    if (JSON.stringify(expected) !== JSON.stringify(actual)) out.push(`form ${JSON.stringify(expected)} != ${JSON.stringify(actual)}`);
  } else if (described.body === undefined) {
    if (sent.body !== "") out.push(`body sent: ${sent.body}`);
  } else if (JSON.stringify(described.body) !== JSON.stringify(JSON.parse(sent.body))) {
    out.push(`json ${JSON.stringify(described.body)} != ${sent.body}`);
  }
  return out;
}

const PARTS = "shop_get_items_itemId_parts_partIds";
const EXAMPLES: Array<{ fn: string; module: string; event: Record<string, unknown> }> = [
  {
    fn: PARTS,
    module: "get_items_itemId_parts_partIds",
    event: {
      path: { itemId: "a b/c?#%\u00e9!*'()", partIds: ["x,y", "z/w", 3, true] },
      query: {
        tags: ["red", "blue green", null],
        ids: [1, 2, 3],
        filter: { color: "r&d", size: { min: 1, max: "9=9" }, any: ["p", "q"] },
        sel: ["a", "b|c"],
        words: ["hello", "wor ld"],
        opts: { k1: "v 1", k2: true, gone: null },
        limit: 10,
        extra: "x&y=z",
        more: ["m1", "m2"],
      },
      headers: { "X-Trace": "t-1", "X-List": ["a", "b"], "x-extra": "e", "X-Obj": { a: 1, b: "two" } },
    },
  },
  { fn: PARTS, module: "get_items_itemId_parts_partIds", event: { path: { itemId: "1", partIds: "solo" } } },
  { fn: PARTS, module: "get_items_itemId_parts_partIds", event: { path: { itemId: "\u{1f600}", partIds: ["only"] }, query: { ids: [], opts: {} }, headers: { "x-trace": "lower", "x-list": "one" } } },
  // Empty arrays and objects: an empty header value, as picorun sends it.
  { fn: PARTS, module: "get_items_itemId_parts_partIds", event: { path: { itemId: "e", partIds: ["p"] }, headers: { "X-List": [], "X-Obj": {}, "X-Nulls": [null] } } },
  // An array in a one-item array is one value (its JSON text), as picorun's to_text writes it.
  { fn: PARTS, module: "get_items_itemId_parts_partIds", event: { path: { itemId: [["n", 1]], partIds: [[null]] }, query: { tags: [["p q", 2]], sel: [["s"]], opts: [["o"]] } } },
  // Undeclared keys whose arrays and objects hold nothing send nothing (no empty part between two `&`).
  { fn: PARTS, module: "get_items_itemId_parts_partIds", event: { path: { itemId: "u", partIds: "v" }, query: { e1: [], e2: {}, e3: [null], e4: { k: null }, e5: "last", limit: 1 } } },
  { fn: "shop_post_items", module: "post_items", event: { payload: { name: "\u00fcn\u00efcode \"q\"", n: [1, 2], nested: { a: null, b: [true] } }, headers: { "X-Request": "r" } } },
  { fn: "shop_post_items", module: "post_items", event: { payload: [1, "two"], headers: { "content-type": "application/merge-patch+json" } } },
  { fn: "shop_put_items_itemId_form", module: "put_items_itemId_form", event: { path: { itemId: "f/1" }, payload: { a: "1 2+3", b: ["x", "y&z"], c: null, d: true, e: 5 } } },
  { fn: "shop_get_open", module: "get_open", event: { query: { q: "a+b c&d=\u00e9" } } },
  { fn: "shop_get_open", module: "get_open", event: {} },
];

describeWithTools("HTTP Tasks send the request the Lambda client sends", ["python3"], () => {
  let out: string;
  let server: Awaited<ReturnType<typeof recordingServer>>;

  beforeAll(async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "shop"', `spec = "${SPEC}"`, "[auth]", "enabled = false", "[stepfunctions]", "http_tasks = true"].join("\n"));
    await generate({ cwd: dir });
    out = join(dir, "output");
    server = await recordingServer();
  }, 120_000);

  afterAll(async () => server?.close());

  async function compare(cases: typeof EXAMPLES): Promise<string[]> {
    server.requests.length = 0;
    const outcomes = await sendAll(out, server.url, cases.map((c) => ({ module: c.module, event: c.event })));
    const bad: string[] = [];
    for (const [i, c] of cases.entries()) {
      if (!outcomes[i].ok) {
        bad.push(`${c.fn} ${JSON.stringify(c.event)}: the Lambda client failed: ${outcomes[i].message}`);
        continue;
      }
    }
    // Only successful calls reach the server, in order.
    const sentCases = cases.filter((_c, i) => outcomes[i].ok);
    expect(server.requests.length).toBe(sentCases.length);
    for (const [i, c] of sentCases.entries()) {
      const diff = differences(await describeRequest(state(out, c.fn), c.event), server.requests[i]);
      if (diff.length) bad.push(`${c.fn} ${JSON.stringify(c.event)}: ${diff.join("; ")}`);
    }
    return bad;
  }

  it("for path parameters that need encoding, query arrays and objects in every style, headers, JSON and form bodies", async () => {
    expect(await compare(EXAMPLES)).toEqual([]);
  }, 120_000);

  it("for generated hostile path, query and header values (property-based)", async () => {
    // Characters each encoder treats differently (JS's encodeURIComponent keeps !*'(), Python's quote does not), delimiters, non-ASCII.
    const hostile = fc.constantFrom(..."!*'()%/?#&=+ ,|[]{}$`\"\\~;:@.\u00e9\u{1f600}\u00a0");
    const unit = fc.oneof(hostile, fc.constantFrom("a", "Z", "0"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }));
    const text = fc.string({ unit, maxLength: 12 });
    const scalar = fc.oneof(text, fc.integer({ min: -1e6, max: 1e6 }), fc.boolean());
    // Header values reach the wire: printable ASCII without surrounding spaces (anything else the Lambda client refuses or HTTP trims).
    const headerText = fc.stringMatching(/^[!-~]([ -~]{0,10}[!-~])?$/);
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_ .~-]{0,8}$/).filter((k) => !["tags", "ids", "filter", "sel", "words", "opts", "limit"].includes(k));
    const event = fc.record({
      path: fc.record({ itemId: fc.string({ unit, minLength: 1, maxLength: 12 }), partIds: fc.oneof(text.filter((s) => s !== ""), fc.array(scalar, { minLength: 1, maxLength: 3 })) }),
      query: fc.record(
        {
          tags: fc.array(fc.option(scalar), { maxLength: 3 }),
          ids: fc.array(fc.integer(), { maxLength: 3 }),
          filter: fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 2 }),
          sel: fc.array(text, { maxLength: 3 }),
          words: fc.array(text, { maxLength: 3 }),
          opts: fc.dictionary(key, fc.option(scalar), { maxKeys: 2 }),
          limit: scalar,
          extra: fc.dictionary(key, scalar, { maxKeys: 1 }),
        },
        { requiredKeys: [] },
      ),
      headers: fc.record({ "X-Trace": headerText, "X-List": fc.array(headerText, { maxLength: 2 }) }, { requiredKeys: [] }),
    });
    const seed = Date.now();
    const events = fc.sample(event, { numRuns: 60, seed });
    const cases = events.map((e) => {
      const { extra, ...query } = e.query as Record<string, unknown> & { extra?: Record<string, unknown> };
      return { fn: PARTS, module: "get_items_itemId_parts_partIds", event: { ...e, query: { ...query, ...(extra ?? {}) } } };
    });
    const bad = await compare(cases);
    expect(bad, `seed ${seed}`).toEqual([]);
  }, 180_000);
});
