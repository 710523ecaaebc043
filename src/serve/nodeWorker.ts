/**
 * The Node.js worker (`node --input-type=module -e`): JSON lines on stdin, answers on fd 3. A
 * handler file is imported again (with a new query string) when it changed, so edits show on the
 * next request. Requests run concurrently, like separate Lambda instances would.
 */
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

function answer(value) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    text = JSON.stringify({ id: value.id, ok: false, errorType: "Runtime.MarshalError", errorMessage: "Unable to marshal response: " + e.message, stackTrace: [] });
  }
  writeSync(3, text + "\n");
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
        timer = setTimeout(() => reject(Object.assign(new Error("Task timed out"), { name: "Sandbox.Timedout" })), timeoutMs);
      }),
    ]);
    answer({ id: req.id, ok: true, result: result === undefined ? null : result });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    answer({ id: req.id, ok: false, errorType: err.name && err.name !== "Error" ? err.name : err.constructor?.name || "Error", errorMessage: err.message, stackTrace: String(err.stack ?? "").split("\n") });
  } finally {
    clearTimeout(timer);
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim()) void run(JSON.parse(line));
}
`;
