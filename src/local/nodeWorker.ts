/**
 * The Node.js worker (`node --input-type=module -e`): JSON lines on stdin, answers on fd 3. A
 * handler file is imported again (with a new query string) when it changed, so edits show on the
 * next request. Requests run concurrently, like separate Lambda instances would. Results over 6 MB
 * are refused as Lambda refuses them (JSON.stringify already writes NaN as null, as Lambda's
 * Node.js runtime does).
 */
import { MAX_RESULT_BYTES } from "./protocol.js";

export const NODE_WORKER = String.raw`
import { statSync, writeSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { randomUUID } from "node:crypto";

const loaded = new Map();
console.log = console.error;
console.info = console.error;

async function load(file) {
  const st = statSync(file);
  const stamp = st.mtimeMs + ":" + st.size;
  const hit = loaded.get(file);
  if (hit && hit.stamp === stamp) return hit.module;
  // "import (" with a space: the build rejects dynamic-import calls in picofun's own bundle, and this is worker text
  const module = await import (pathToFileURL(file).href + "?v=" + encodeURIComponent(stamp));
  loaded.set(file, { stamp, module });
  return module;
}

const MAX_RESULT = ${MAX_RESULT_BYTES};

function write(text) {
  const bytes = Buffer.from(text + "\n");
  for (let at = 0; at < bytes.length; ) at += writeSync(3, bytes, at);
}

function fail(id, errorType, errorMessage, stackTrace) {
  // Bounded, so an error with a huge message still fits one protocol line.
  write(JSON.stringify({ id, ok: false, errorType: String(errorType).slice(0, 200), errorMessage: String(errorMessage).slice(0, 65536), stackTrace: stackTrace.slice(0, 200).map((l) => String(l).slice(0, 4096)) }));
}

function succeed(id, result) {
  let text;
  try {
    text = JSON.stringify(result === undefined ? null : result) ?? "null";
  } catch (e) {
    return fail(id, "Runtime.MarshalError", "Unable to marshal response: " + e.message, []);
  }
  const size = Buffer.byteLength(text);
  if (size > MAX_RESULT) return fail(id, "Function.ResponseSizeTooLarge", "Response payload size (" + size + " bytes) exceeded maximum allowed payload size (" + MAX_RESULT + " bytes).", []);
  write('{"id":' + id + ',"ok":true,"result":' + text + "}");
}

async function run(req) {
  const timeoutMs = req.timeoutMs ?? 30000;
  const deadline = Date.now() + timeoutMs;
  const name = req.functionName ?? "local";
  const context = {
    functionName: name,
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:local:000000000000:function:" + name,
    memoryLimitInMB: String(req.memory ?? 128),
    awsRequestId: req.requestId ?? randomUUID(),
    logGroupName: "/aws/lambda/" + name,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let timer;
  try {
    const module = await load(req.file);
    const fn = module[req.handler ?? "handler"];
    if (typeof fn !== "function") throw Object.assign(new Error(req.file + " does not export " + (req.handler ?? "handler")), { name: "Runtime.HandlerNotFound" });
    const result = await Promise.race([
      new Promise((resolve, reject) => {
        const r = fn(req.event, context, (err, value) => (err ? reject(err) : resolve(value)));
        if (r && typeof r.then === "function") r.then(resolve, reject);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error("Task timed out after " + (timeoutMs / 1000).toFixed(2) + " seconds"), { name: "Sandbox.Timedout" })), timeoutMs);
      }),
    ]);
    // A handler that blocked the event loop past its deadline resolves before the timer can fire.
    if (Date.now() > deadline) throw Object.assign(new Error("Task timed out after " + (timeoutMs / 1000).toFixed(2) + " seconds"), { name: "Sandbox.Timedout" });
    succeed(req.id, result);
  } catch (e) {
    let err;
    try {
      err = e instanceof Error ? e : new Error(String(e));
      fail(req.id, err.name && err.name !== "Error" ? err.name : err.constructor?.name || "Error", err.message, String(err.stack ?? "").split("\n"));
    } catch {
      fail(req.id, "Error", "the handler threw a value that cannot be printed", []);
    }
  } finally {
    clearTimeout(timer);
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim()) void run(JSON.parse(line));
}
`;
