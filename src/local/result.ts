/** Checks a handler's proxy result the way API Gateway does; anything else is a 502. */

export interface HttpAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

const KEYS = new Set(["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded", "cookies"]);

/** An HTTP header name (RFC 9110 token), and a value Node.js can send (no CR, LF or other control character, nothing outside Latin-1). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

function headerProblem(name: string, value: string): string | undefined {
  if (!TOKEN.test(name)) return `header name ${JSON.stringify(name.slice(0, 80))} is not a valid HTTP header name`;
  if (BAD_VALUE.test(value)) return `header ${name}: its value has a character HTTP cannot carry (CR, LF, another control character or one outside Latin-1)`;
  return undefined;
}

/** The framing headers must agree with the body serve sends: Content-Length its length, no Transfer-Encoding (serve frames the body). */
function framingProblem(headers: Array<[string, string]>, length: number): string | undefined {
  for (const [k, v] of headers) {
    const lower = k.toLowerCase();
    if (lower === "content-length" && v.trim() !== String(length)) return `Content-Length ${JSON.stringify(v.slice(0, 40))} does not match the body (${length} bytes)`;
    if (lower === "transfer-encoding") return "the result sets Transfer-Encoding (the server frames the body)";
  }
  return undefined;
}

/**
 * The HTTP answer of a proxy result, or a reason it is malformed. `decode`: an isBase64Encoded
 * body is sent as its bytes (API Gateway: when the request accepts a binary media type), else
 * as the base64 text.
 */
export function fromProxyResult(value: unknown, decode = true): HttpAnswer | { problem: string } {
  if (!value || typeof value !== "object" || Array.isArray(value)) return { problem: `the result is not an object (got ${JSON.stringify(value)?.slice(0, 80)})` };
  const r = value as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!KEYS.has(k)) return { problem: `the result has an unexpected key ${JSON.stringify(k.slice(0, 80))}` };
  const status = r.statusCode === undefined ? 200 : typeof r.statusCode === "string" && /^\d+$/.test(r.statusCode) ? Number(r.statusCode) : r.statusCode;
  // 1xx are not final answers: a client would wait for the one that follows.
  if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) return { problem: `statusCode ${JSON.stringify(r.statusCode)?.slice(0, 40)} is not an HTTP status of a final answer (200-599)` };
  if (r.body !== undefined && r.body !== null && typeof r.body !== "string") return { problem: `body must be a string (got ${typeof r.body}); JSON.stringify / json.dumps it` };
  if (r.isBase64Encoded !== undefined && typeof r.isBase64Encoded !== "boolean") return { problem: "isBase64Encoded must be a boolean" };
  const headers: Array<[string, string]> = [];
  const scalar = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== "object" || Array.isArray(r.headers)) return { problem: "headers must be an object" };
    for (const [k, v] of Object.entries(r.headers)) {
      if (!scalar(v)) return { problem: `header ${JSON.stringify(k.slice(0, 80))} must be a string` };
      const text = String(v);
      const bad = headerProblem(k, text);
      if (bad) return { problem: bad };
      headers.push([k, text]);
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== "object" || Array.isArray(r.multiValueHeaders)) return { problem: "multiValueHeaders must be an object" };
    for (const [k, vs] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(vs) || !vs.every(scalar)) return { problem: `multiValueHeaders ${JSON.stringify(k.slice(0, 80))} must be a list of strings` };
      const lower = k.toLowerCase();
      // multiValueHeaders win over headers of the same name
      for (let i = headers.length - 1; i >= 0; i--) if (headers[i][0].toLowerCase() === lower) headers.splice(i, 1);
      for (const v of vs) {
        const text = String(v);
        const bad = headerProblem(k, text);
        if (bad) return { problem: bad };
        headers.push([k, text]);
      }
    }
  }
  const text = typeof r.body === "string" ? r.body : "";
  const body = r.isBase64Encoded && decode ? Buffer.from(text, "base64") : Buffer.from(text, "utf8");
  const framing = framingProblem(headers, body.length);
  if (framing) return { problem: framing };
  return { status: status as number, headers, body };
}

export function jsonAnswer(status: number, value: unknown, headers: Array<[string, string]> = []): HttpAnswer {
  return { status, headers: [["Content-Type", "application/json"], ...headers], body: Buffer.from(JSON.stringify(value)) };
}
