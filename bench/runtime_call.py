"""Warm-call overhead of a generated handler over a bare http.client request.

Usage: python3 runtime_call.py <output dir> <handler module> [calls]

Starts a keep-alive HTTP/1.1 server on loopback, then times, interleaved,
``calls`` requests made with one persistent ``http.client.HTTPConnection``
and ``calls`` invocations of the handler (with its server URL pointed at the
same server), with and without retries enabled.  Prints one JSON line of
medians in milliseconds.
"""

import http.client
import http.server
import importlib
import json
import statistics
import sys
import threading
import time

BODY = json.dumps([{"id": i, "name": f"pet {i}"} for i in range(10)]).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body in one write, as real servers do (two small writes meet
    # Nagle's algorithm and delayed ACKs: ~40 ms a response).
    wbufsize = 65536

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


class Context:
    def get_remaining_time_in_millis(self):
        return 30_000


def main():
    out, module_name = sys.argv[1], sys.argv[2]
    calls = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    sys.path[:0] = [f"{out}/lambdas", f"{out}/layer"]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    module = importlib.import_module(module_name)
    module.ENDPOINT.server_url = f"http://127.0.0.1:{port}"
    path = module.ENDPOINT.path
    bare = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def bare_call():
        bare.request("GET", path)
        response = bare.getresponse()
        json.loads(response.read())

    context = Context()
    events = {"handler": {}, "handler, retry off": {"retry": False}}
    samples = {"bare": [], **{name: [] for name in events}}
    for _ in range(20):  # warm up both paths (imports, connections)
        bare_call()
        for event in events.values():
            module.handler(dict(event), context)
    for _ in range(calls):
        start = time.perf_counter()
        bare_call()
        samples["bare"].append(time.perf_counter() - start)
        for name, event in events.items():
            start = time.perf_counter()
            module.handler(dict(event), context)
            samples[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(s) * 1000 for name, s in samples.items()}
    print(json.dumps(medians))
    server.shutdown()


if __name__ == "__main__":
    main()
