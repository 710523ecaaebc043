"""Runs a generated handler the way Lambda would and prints the outcome as JSON.

Input (stdin, JSON): {"layer": dir, "lambdas": dir, "module": name, "event": {...},
"remaining_ms": optional int, "extra": optional list of folders put on sys.path after
the layer, e.g. a bundle}. Output: {"ok": true, "result": ...} or
{"ok": false, "error_type": ..., "message": ..., "status": ..., "body": ...}.
"""

import importlib
import json
import sys


class FakeContext:
    def __init__(self, remaining_ms=10000):
        self.remaining_ms = remaining_ms
        self.function_name = "test"
        self.aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self):
        return self.remaining_ms


def outcome(module, event, context):
    """Calls the handler; any exception becomes a JSON-friendly description of it."""
    try:
        return {"ok": True, "result": module.handler(event, context)}
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
    sys.path[:0] = [request["lambdas"], request["layer"], *request.get("extra", [])]
    module = importlib.import_module(request["module"])
    context = FakeContext(request.get("remaining_ms", 10000))
    print(json.dumps(outcome(module, request.get("event", {}), context), default=str))


if __name__ == "__main__":
    main()
