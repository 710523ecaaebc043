/** The api-kind project the hostile-input tests of `serve` and `invoke` run (issue 28). */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempProject } from "./generate.js";

const HOSTILE_SPEC = `openapi: 3.0.3
info:
  title: Hostile
  version: "1"
paths:
  /echo:
    get:
      operationId: echo
      responses:
        "200":
          description: The query and header names it was given
  /result:
    post:
      operationId: result
      responses:
        "200":
          description: Whatever the request body orders
  /slow:
    get:
      operationId: slow
      responses:
        "200":
          description: Runs past its timeout
`;

const ECHO_PY = `import json

def handler(event, context):
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps({"query": event["queryStringParameters"], "multiQuery": event["multiValueQueryStringParameters"], "headers": sorted((event["headers"] or {}).keys())})}
`;

/** Returns the result the request body orders (json.loads accepts NaN and Infinity); can also write to fd 3 or exit. */
const RESULT_PY = `import json, os

def handler(event, context):
    order = json.loads(event["body"])
    if order.get("fd3"):
        os.write(3, order["fd3"].encode() + b"\\n")
    if order.get("exit"):
        os._exit(3)
    result = order.get("result")
    if "repeat" in order:
        result["body"] = "x" * order["repeat"]
    if order.get("set"):
        result["body"] = {1, 2}
    return result
`;

const SLOW_PY = `import time

def handler(event, context):
    mode = (event["queryStringParameters"] or {}).get("mode")
    end = time.time() + 20
    while time.time() < end:
        if mode == "bare":
            try:
                time.sleep(0.2)
            except:  # noqa: E722 (swallows everything, its timeout too)
                pass
        else:
            try:
                time.sleep(0.2)
            except Exception:
                pass
    return {"statusCode": 200, "body": "late"}
`;

const ECHO_MJS = `export const handler = async (event) => {
  if (event.queryStringParameters?.spin) {
    const end = Date.now() + 60_000;
    while (Date.now() < end);
  }
  return { statusCode: 200, body: JSON.stringify({ query: event.queryStringParameters }) };
};
`;

/**
 * An api-kind project with the hostile handlers: Python (timeout 2 s) with echo, result (returns
 * what the request body orders) and slow (catches its timeout); or Node.js (timeout as given)
 * with an echo that can block its event loop (?spin=1).
 */
export function hostileProject(o: { runtime?: "python3.13" | "nodejs22.x"; timeout?: number } = {}): string {
  const dir = tempProject();
  const runtime = o.runtime ?? "python3.13";
  writeFileSync(join(dir, "hostile.yaml"), HOSTILE_SPEC);
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "hostile"', 'spec = "hostile.yaml"', 'kind = "api"', `runtime = "${runtime}"`, `timeout = ${o.timeout ?? 2}`].join("\n") + "\n");
  mkdirSync(join(dir, "handlers"));
  if (runtime === "nodejs22.x") {
    writeFileSync(join(dir, "handlers", "echo.mjs"), ECHO_MJS);
    return dir;
  }
  writeFileSync(join(dir, "handlers", "echo.py"), ECHO_PY);
  writeFileSync(join(dir, "handlers", "result.py"), RESULT_PY);
  writeFileSync(join(dir, "handlers", "slow.py"), SLOW_PY);
  return dir;
}

