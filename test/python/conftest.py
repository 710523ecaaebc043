"""Shared fixtures: a real local HTTP server that records every request."""

import http.server
import os
import sys
import threading

import pytest

LAYER = os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "templates", "client", "layer")
)
if LAYER not in sys.path:
    sys.path.insert(0, LAYER)
# Keep __pycache__ out of the template folder, which is copied verbatim.
sys.dont_write_bytecode = True


class FakeApi:
    """Answers queued replies (or 200 ``{"ok": true}``) and records requests.

    A reply is any object with ``status``, ``headers`` (values may be lists
    for repeated headers) and ``body`` (bytes).
    """

    def __init__(self):
        self.requests = []
        self.replies = []
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                api.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": self.headers,
                        "body": body,
                    }
                )
                if api.replies:
                    reply = api.replies.pop(0)
                    status, headers, data = reply.status, reply.headers, reply.body
                else:
                    status, data = 200, b'{"ok": true}'
                    headers = {"Content-Type": "application/json"}
                self.send_response(status)
                for name, value in headers.items():
                    if isinstance(value, list):
                        for item in value:
                            self.send_header(name, item)
                    else:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

            def log_message(self, format, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.01},
            daemon=True,
        )
        self.thread.start()

    @property
    def last(self):
        return self.requests[-1]

    def reply(self, *replies):
        self.replies.extend(replies)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def api_factory():
    servers = []

    def make():
        server = FakeApi()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def api(api_factory):
    return api_factory()


@pytest.fixture
def server():
    from misbehaving import MisbehavingServer

    instance = MisbehavingServer()
    yield instance
    instance.close()


@pytest.fixture(autouse=True)
def clean_runtime_state(monkeypatch):
    """No auth_hooks unless a test installs one; fresh caches and connections."""
    from picorun import hooks, observability, transport

    for name in list(os.environ):
        if name.startswith("PICORUN_"):
            monkeypatch.delenv(name)
    monkeypatch.setitem(sys.modules, "auth_hooks", None)
    hooks.clear_cache()
    observability.clear_cache()
    transport.close_all()
    yield
    hooks.clear_cache()
    observability.clear_cache()
    transport.close_all()
