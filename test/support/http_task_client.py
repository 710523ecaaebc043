"""Runs the Lambda client's side of the HTTP Task equivalence tests.

Input (stdin, JSON): {"layer": dir, "lambdas": dir (optional), "server": url (optional),
"calls": [...]}. A call is either {"module": name, "event": {...}}: the generated handler is
imported and invoked with its ENDPOINT pointed at "server" (a recording loopback server), or
{"endpoint": {...}, "event": {...}}: picorun's own build_request serialises the event for an
Endpoint made from the description, without sending it (for many generated endpoints at once).
Output: one JSON list, per call {"ok": true, ...} or {"ok": false, "error_type", "message"}.
"""

import json
import sys


def main():
    request = json.load(sys.stdin)
    sys.path[:0] = [p for p in (request.get("lambdas"), request["layer"]) if p]
    import importlib

    from picorun import Endpoint, Parameter
    from picorun.build import build_request
    from picorun.endpoint import RequestArgs

    class Context:
        function_name = "test"
        aws_request_id = "0"

        def get_remaining_time_in_millis(self):
            return 10000

    out = []
    for call in request["calls"]:
        try:
            if "module" in call:
                module = importlib.import_module(call["module"])
                module.ENDPOINT.server_url = request["server"]
                module.handler(call["event"], Context())
                out.append({"ok": True})
            else:
                d = call["endpoint"]
                params = [
                    Parameter(p["name"], p["in"], required=p.get("required", False), style=p.get("style"), explode=p.get("explode"), allow_reserved=p.get("allowReserved", False))
                    for p in d["parameters"]
                ]
                endpoint = Endpoint("f", d["method"], d["path"], d["server_url"], params, d.get("body_content_type"), d.get("body_required", False))
                url, headers, body = build_request(RequestArgs.from_event(endpoint, call["event"]))
                out.append({"ok": True, "url": url, "headers": headers, "body": None if body is None else body.decode("utf-8")})
        except Exception as exc:  # noqa: BLE001 - reported to the test
            out.append({"ok": False, "error_type": type(exc).__name__, "message": str(exc)})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
