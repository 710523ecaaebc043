"""Runs several generated handler calls in ONE process, as warm Lambda invocations would.

Input (stdin, JSON): {"layer": dir, "lambdas": dir, "calls": [{"module": name,
"event": {...}}, ...]}. Output: one JSON list with an outcome per call, shaped like
invoke.py's ({"ok": true, "result": ...} or {"ok": false, "error_type": ...}).
"""

import importlib
import json
import sys


class FakeContext:
    function_name = "test"
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self):
        return 10000


def outcome(module, event):
    try:
        return {"ok": True, "result": module.handler(event, FakeContext())}
    except Exception as exc:  # noqa: BLE001 - every failure is reported to the test
        return {
            "ok": False,
            "error_type": type(exc).__name__,
            "mro": [c.__name__ for c in type(exc).__mro__],
            "message": str(exc),
            "status": getattr(exc, "status", None),
            "body": getattr(exc, "body", None),
        }


def main():
    request = json.load(sys.stdin)
    sys.path[:0] = [request["lambdas"], request["layer"]]
    results = []
    for call in request["calls"]:
        module = importlib.import_module(call["module"])
        results.append(outcome(module, call.get("event", {})))
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    main()
