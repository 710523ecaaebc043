/**
 * issue 28: `picofun serve` answers every request as API Gateway + Lambda would, whatever the
 * client sends or the handler returns, and one process keeps answering through all of it.
 */
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO } from "../support/env.js";
import { hostileProject } from "../support/hostileProject.js";
import { rawRequest, slowClient } from "../support/rawHttp.js";
import { startServeCli, type ServeProcess } from "../support/serve.js";
import { describeWithTools } from "../support/skip.js";

const PYTHON = { PICOFUN_PYTHON: join(REPO, ".cache", "venv", "bin", "python") };
const INTERNAL = { message: "Internal server error" };

describeWithTools("picofun serve under hostile requests and handler results (one process throughout)", ["python"], () => {
  let serve: ServeProcess;
  const order = (o: unknown) => fetch(`${serve.url}/result`, { method: "POST", body: typeof o === "string" ? o : JSON.stringify(o) });
  const ok = { statusCode: 200, headers: { "Content-Type": "text/plain" }, body: "fine" };
  /** The process is up and a plain request still works. */
  const stillAnswering = async () => {
    expect(serve.child.exitCode).toBeNull();
    const res = await fetch(`${serve.url}/echo?still=1`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { query: unknown }).query).toEqual({ still: "1" });
  };
  /** The answer is API Gateway's 502 and serve's log gives `reason` after `from`. */
  const internal = async (res: Response, reason: RegExp, from: number) => {
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual(INTERNAL);
    await serve.waitFor(reason, from);
  };

  /** Slow clients that trickle their headers for the whole run (the last test checks serve closed them). */
  let lingering: Array<ReturnType<typeof slowClient>> = [];
  beforeAll(async () => {
    serve = await startServeCli(hostileProject(), ["--workers", "2"], PYTHON);
    lingering = Array.from({ length: 3 }, () => slowClient(serve.url, 500));
  }, 120_000);
  afterAll(async () => {
    for (const s of lingering) s.stop();
    await serve?.stop();
  });

  it("severe 2: a request target that is not a URL (GET http://[/) is 400, and serve keeps answering", async () => {
    const from = serve.log().length;
    const answer = await rawRequest(serve.url, "GET http://[/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/\{"message":"Bad Request"\}/);
    await serve.waitFor(/malformed request target "http:\/\/\[\/"/, from);
    // An origin-form target is all path: //x/echo is not /echo on host x.
    const doubled = await rawRequest(serve.url, "GET //x/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(doubled.status).toBe(403);
    await stillAnswering();
  });

  it("severe 3: a result header with CR/LF, a character outside Latin-1 or an invalid name is 502 with the reason logged", async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ "Content-Disposition": 'attachment; filename="a"\r\nSet-Cookie: x=1' }, /header Content-Disposition: its value has a character HTTP cannot carry/],
      [{ "X-Price": "10 €" }, /header X-Price: its value has a character HTTP cannot carry/],
      [{ "Bad Name": "v" }, /header name "Bad Name" is not a valid HTTP header name/],
      [{ "X-Line": "a\nb" }, /header X-Line: its value/],
    ];
    for (const [headers, reason] of cases) {
      const from = serve.log().length;
      await internal(await order({ result: { ...ok, headers } }), reason, from);
    }
    const from = serve.log().length;
    await internal(await order({ result: { ...ok, multiValueHeaders: { "X-Many": ["ok", "bad\r\n"] } } }), /header X-Many: its value/, from);
    await stillAnswering();
  });

  it("medium 4: NaN/Infinity in a result is 502 (Runtime.MarshalError); more of them than --workers leave every route answering", async () => {
    for (const value of ["NaN", "Infinity", "-Infinity", "NaN", "NaN"]) {
      const from = serve.log().length;
      await internal(await order(`{"result": {"statusCode": 200, "body": "x", "headers": {"X-N": ${value}}}}`), /Runtime\.MarshalError: Unable to marshal response: Out of range float values/, from);
    }
    await stillAnswering();
    const fine = await order({ result: ok });
    expect(fine.status).toBe(200);
    expect(await fine.text()).toBe("fine");
  });

  it("medium 5: a handler that catches its timeout (except Exception, bare except) is stopped at it: 502, its worker replaced", async () => {
    for (const mode of ["exception", "bare"]) {
      const from = serve.log().length;
      const res = await fetch(`${serve.url}/slow?mode=${mode}`);
      await internal(res, /slow \(.*\) failed: Sandbox\.Timedout: Task timed out after 2\.00 seconds/, from);
      await stillAnswering();
    }
  }, 60_000);

  it("medium 6: a body over 10 MB is 413 before it is read (Content-Length or chunked); a result over 6 MB is 502", async () => {
    const declared = await rawRequest(serve.url, `POST /result HTTP/1.1\r\nHost: x\r\nContent-Length: ${300 * 1024 * 1024}\r\n\r\n`, { body: [Buffer.alloc(64 * 1024)] });
    expect(declared.status).toBe(413);
    expect(declared.text).toMatch(/\{"message":"Request Too Long"\}/);
    // Expect: 100-continue: the 413 comes instead of the 100, before the client sends a byte of the body.
    const expecting = await rawRequest(serve.url, `POST /result HTTP/1.1\r\nHost: x\r\nContent-Length: ${20 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`);
    expect(expecting.status).toBe(413);
    // chunked: no length given, counted while reading; the client is still sending when the answer comes.
    const mb = Buffer.alloc(1024 * 1024, 0x61);
    const chunk = Buffer.concat([Buffer.from(`${mb.length.toString(16)}\r\n`), mb, Buffer.from("\r\n")]);
    const chunked = await rawRequest(serve.url, "POST /result HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", { body: Array.from({ length: 40 }, () => chunk) });
    expect(chunked.status).toBe(413);
    const from = serve.log().length;
    await internal(await order({ result: { statusCode: 200 }, repeat: 7 * 1024 * 1024 }), /Function\.ResponseSizeTooLarge/, from);
    // Just under both limits still works.
    const big = await fetch(`${serve.url}/result`, { method: "POST", body: JSON.stringify({ result: { statusCode: 200 }, repeat: 5 * 1024 * 1024, pad: "y".repeat(4 * 1024 * 1024) }) });
    expect(big.status).toBe(200);
    expect((await big.arrayBuffer()).byteLength).toBe(5 * 1024 * 1024);
    await stillAnswering();
  }, 60_000);

  it("low: query and header names toString, constructor and __proto__ reach the handler like any other", async () => {
    // Raw, so the headers go as written (fetch drops one named __proto__).
    const res = await rawRequest(serve.url, "GET /echo?toString=1&constructor=2&__proto__=3&__proto__=4 HTTP/1.1\r\nHost: x\r\ntoString: h\r\nconstructor: c\r\n__proto__: p\r\nConnection: close\r\n\r\n");
    expect(res.status).toBe(200);
    // Read as entries: an object literal's __proto__ would set a prototype, not a key.
    const seen = JSON.parse(res.text.slice(res.text.indexOf("\r\n\r\n") + 4), (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.entries(v) : v)) as Array<[string, unknown]>;
    const part = (name: string) => seen.find(([k]) => k === name)![1];
    expect(part("query")).toEqual([["toString", "1"], ["constructor", "2"], ["__proto__", "4"]]);
    expect(part("multiQuery")).toEqual([["toString", ["1"]], ["constructor", ["2"]], ["__proto__", ["3", "4"]]]);
    const headers = part("headers") as string[];
    expect(headers).toEqual(expect.arrayContaining(["toString", "constructor", "__proto__"]));
  });

  it("low: a result Content-Length that does not match its body is 502 (the client would wait for bytes that never come); a matching one is kept", async () => {
    const from = serve.log().length;
    await internal(await order({ result: { ...ok, headers: { "Content-Length": "100" } } }), /Content-Length "100" does not match the body \(4 bytes\)/, from);
    const matching = await order({ result: { ...ok, headers: { "Content-Length": "4" } } });
    expect(matching.status).toBe(200);
    expect(await matching.text()).toBe("fine");
  });

  it("low: a worker that writes garbage on the protocol or dies is replaced and its request answered 502", async () => {
    let from = serve.log().length;
    await internal(await order({ fd3: "this is not JSON", result: ok }), /Runtime\.ExitError: the python worker wrote a line that is not JSON/, from);
    from = serve.log().length;
    await internal(await order({ fd3: '{"id": 999999, "ok": true, "result": {}}', result: ok }), /an answer to no pending call/, from);
    from = serve.log().length;
    await internal(await order({ exit: true }), /Runtime\.ExitError: the python worker exited \(code 3\)/, from);
    from = serve.log().length;
    await internal(await order({ result: ok, set: true }), /Runtime\.MarshalError/, from);
    await stillAnswering();
  });

  it("a hostile client (bad targets and headers, oversize bodies, slow clients, every bad result at once) leaves the process answering", async () => {
    const slow = Array.from({ length: 12 }, () => slowClient(serve.url));
    try {
      const raw = [
        "GET http://[/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET http://a:99999/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n",
        "GET /echo?%zz=%%&a=%E2%82 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /%zz/%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "NOPE\r\n\r\n",
        `GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(70_000)}\r\n\r\n`,
        "POST /result HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
      ].map((head) => rawRequest(serve.url, head));
      const big = rawRequest(serve.url, `POST /result HTTP/1.1\r\nHost: x\r\nContent-Length: ${20 * 1024 * 1024}\r\n\r\n`, { body: Array.from({ length: 20 }, () => Buffer.alloc(1024 * 1024)) });
      const results = [
        { result: { ...ok, headers: { "X-Euro": "€" } } },
        { result: { ...ok, headers: { "": "empty name" } } },
        { result: { ...ok, headers: { "Transfer-Encoding": "chunked" } } },
        { result: { statusCode: 100, body: "" } },
        { result: { statusCode: "abc" } },
        { result: { ...ok, body: 42 } },
        { result: [1, 2] },
        { result: "just a string" },
        { result: null },
        { result: { ...ok, surprise: true } },
        { result: { statusCode: 200 }, repeat: 7 * 1024 * 1024 },
        { fd3: "garbage", result: ok },
      ].map((o) => order(o).then(async (r) => ({ status: r.status, body: await r.text() }), (e) => ({ status: 0, body: String(e?.cause ?? e) })));
      const NaNs = order('{"result": {"statusCode": 200, "body": "x", "multiValueHeaders": {"X": [NaN]}}}').then((r) => r.status);
      // Each has a status: 400/431 from the parser or serve, 403 for no such route, 200 where the route exists.
      for (const answer of await Promise.all(raw)) expect([200, 400, 403, 431], answer.text.slice(0, 200)).toContain(answer.status);
      expect((await big).status).toBe(413);
      for (const answer of await Promise.all(results)) expect(answer).toEqual({ status: 502, body: JSON.stringify(INTERNAL) });
      expect(await NaNs).toBe(502);
      // Slow clients hold connections, not the server: it answers while they trickle on.
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 500));
        await stillAnswering();
      }
      expect((await order({ result: ok })).status).toBe(200);
    } finally {
      for (const s of slow) s.stop();
    }
    await stillAnswering();
  }, 90_000);

  it("closes the connections of clients that never finish their headers (slowloris), within a bound", async () => {
    // headersTimeout 20 s, checked every 5 s; Node.js's defaults (60 s, checked every 30 s) would keep them past this wait.
    const deadline = Date.now() + 50_000;
    while (!lingering.every((s) => s.closedByServer()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(lingering.map((s) => s.closedByServer())).toEqual([true, true, true]);
    await stillAnswering();
  }, 60_000);
});

describeWithTools("picofun serve stops a Node.js handler that blocks its event loop (issue 28, medium 5)", ["python"], () => {
  let serve: ServeProcess;
  beforeAll(async () => {
    // timeout = 30: API Gateway's 29 s integration timeout ends the request first (504).
    serve = await startServeCli(hostileProject({ runtime: "nodejs22.x", timeout: 30 }), [], PYTHON);
  }, 120_000);
  afterAll(async () => {
    await serve?.stop();
  });

  it("answers 504 Endpoint request timed out at the integration timeout, answers the request it blocked, and replaces the worker", async () => {
    const from = serve.log().length;
    const spinning = fetch(`${serve.url}/echo?spin=1`);
    await new Promise((r) => setTimeout(r, 500));
    const blocked = fetch(`${serve.url}/echo?n=1`);
    const res = await spinning;
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ message: "Endpoint request timed out" });
    // The other call was in the same worker: it is answered (the gateway's 502), not left waiting.
    expect((await blocked).status).toBe(502);
    await serve.waitFor(/echo \(.*\) failed: Sandbox\.Timedout: Task timed out after 29\.00 seconds/, from);
    const after = await fetch(`${serve.url}/echo?n=2`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ query: { n: "2" } });
    expect(serve.child.exitCode).toBeNull();
  }, 90_000);
});
