"""A loopback HTTP/1.1 server that misbehaves on purpose.

Each request takes the next scripted :class:`Act` (or a 200 JSON answer).
An act can set status, headers and body, send the body one byte at a time
(``trickle`` seconds apart), or close the connection after answering.  The
body may also be a ``stream`` of chunks (for bodies too big to build), sent
without Content-Length (``length=False``: close-delimited) or chunked.  The
server keeps connections alive and records which connection each request
came on, so tests can count connections.
"""

import json
import socket
import threading
import time


class Act:
    def __init__(
        self,
        status=200,
        body=b"",
        headers=None,
        trickle=None,
        close=False,
        json_body=None,
        stream=None,
        length=True,
        chunked=False,
    ):
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.trickle = trickle
        self.close = close or (not length and not chunked)
        self.stream = stream
        self.length = length
        self.chunked = chunked
        self.sent = 0


class Request:
    def __init__(self, connection, method, target, headers, body):
        self.connection = connection
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.at = time.monotonic()


class MisbehavingServer:
    def __init__(self):
        self.acts = []
        self.requests = []
        self.connections = 0
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._open = []
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def script(self, *acts):
        self.acts.extend(acts)

    def drop_idle_connections(self):
        """Close every connection the server holds (like an idle timeout)."""
        with self._lock:
            for conn in self._open:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()
            self._open.clear()

    def close(self):
        self._stop = True
        self.drop_idle_connections()
        self._sock.close()

    def _accept(self):
        while not self._stop:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                number = self.connections
                self._open.append(conn)
            threading.Thread(
                target=self._serve, args=(conn, number), daemon=True
            ).start()

    def _serve(self, conn, number):
        reader = conn.makefile("rb")
        try:
            while True:
                line = reader.readline()
                if not line:
                    return
                method, target, _ = line.decode("latin-1").split(" ", 2)
                headers = {}
                while True:
                    header = reader.readline().decode("latin-1")
                    if header in ("\r\n", "\n", ""):
                        break
                    name, _, value = header.partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length") or 0)
                body = reader.read(length) if length else b""
                self.requests.append(Request(number, method, target, headers, body))
                act = self.acts.pop(0) if self.acts else Act(json_body={"ok": True})
                if not self._answer(conn, method, act):
                    return
        except OSError:
            return
        finally:
            reader.close()
            conn.close()

    def _answer(self, conn, method, act):
        if act.status is None:  # hang up without answering
            return False
        head = [f"HTTP/1.1 {act.status} Status"]
        for name, value in act.headers.items():
            for item in value if isinstance(value, list) else [value]:
                head.append(f"{name}: {item}")
        if act.chunked:
            head.append("Transfer-Encoding: chunked")
        elif act.length:
            head.append(f"Content-Length: {len(act.body)}")
        if act.close:
            head.append("Connection: close")
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        if method != "HEAD" and (act.stream is not None or act.chunked):
            for chunk in act.stream if act.stream is not None else [act.body]:
                if act.chunked:
                    chunk = b"%x\r\n%s\r\n" % (len(chunk), chunk)
                conn.sendall(chunk)
                act.sent += len(chunk)
            if act.chunked:
                conn.sendall(b"0\r\n\r\n")
        elif method != "HEAD":
            if act.trickle:
                for i in range(len(act.body)):
                    conn.sendall(act.body[i : i + 1])
                    time.sleep(act.trickle)
            else:
                conn.sendall(act.body)
        return not act.close
