"""Runs several generated handler calls in ONE process, as warm Lambda invocations would.

Input (stdin, JSON): {"layer": dir, "lambdas": dir, "calls": [{"module": name,
"event": {...}}, ...]}. Output: one JSON list with an outcome per call, shaped like
invoke.py's ({"ok": true, "result": ...} or {"ok": false, "error_type": ...}).
"""

import importlib
import json
import sys

from invoke import FakeContext, outcome  # the script's own folder is on sys.path


def main():
    request = json.load(sys.stdin)
    sys.path[:0] = [request["lambdas"], request["layer"]]
    results = []
    for call in request["calls"]:
        module = importlib.import_module(call["module"])
        results.append(outcome(module, call.get("event", {}), FakeContext()))
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    main()
