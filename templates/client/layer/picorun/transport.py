"""Send one HTTP request over a persistent connection and decode the answer.

One HTTP/1.1 connection per origin is kept open across warm invocations.  A
connection the server closed meanwhile is replaced transparently.  Every
read checks the call's deadline, so a server that trickles bytes ends in
:class:`ApiTimeoutError` instead of a Lambda timeout.

Imported lazily on the first invoke.
"""

from __future__ import annotations

import http.client
import io
import select
import time
from urllib.parse import urljoin, urlsplit

from picorun.body import TooLarge, read_body
from picorun.errors import (
    ApiConnectionError,
    ApiTimeoutError,
    InvalidParameterError,
    ResponseTooLargeError,
)
from picorun.headers import find_header
from picorun.messages import request_error
from picorun.version import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    import socket
    import ssl
    from typing import Any

    Origin = tuple[str, str, int]
    RawHeaders = list[tuple[str, str]]

USER_AGENT = f"picorun/{__version__}"
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5

_DEFAULT_PORTS = {"http": 80, "https": 443}
# The connections (and the TLS context they were made with), one per origin.
_pool: dict[Origin, tuple[ssl.SSLContext | None, _Connection]] = {}
_default_tls: list[ssl.SSLContext] = []


class _DeadlineIO(io.RawIOBase):
    """The socket as a raw stream whose every read stops at the deadline."""

    def __init__(self, sock: socket.socket, conn: _Connection) -> None:
        super().__init__()
        self._sock = sock
        self._conn = conn
        # Like socket.makefile(): the socket stays open while the stream is.
        sock._io_refs += 1  # type: ignore[attr-defined]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self._conn.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline reached")
        self._sock.settimeout(left)
        return self._sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._sock._decref_socketios()  # type: ignore[attr-defined]


class _SocketView:
    """What HTTPResponse needs from a socket: ``makefile``."""

    def __init__(self, sock: socket.socket, conn: _Connection) -> None:
        self._sock = sock
        self._conn = conn

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineIO(self._sock, self._conn))


class _Connection(http.client.HTTPConnection):
    """An HTTP(S) connection whose responses honour ``deadline``."""

    deadline = 0.0
    used = False

    def _wrap(self) -> None:
        conn = self

        class Response(http.client.HTTPResponse):
            def __init__(self, sock: Any, *args: Any, **kwargs: Any) -> None:
                super().__init__(_SocketView(sock, conn), *args, **kwargs)  # type: ignore[arg-type]

        self.response_class = Response

    def stale(self) -> bool:
        """True when the server closed (or wrote to) an idle connection."""
        if self.sock is None:
            return False
        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)


class _HTTPConnection(_Connection):
    def __init__(self, host: str, port: int) -> None:
        super().__init__(host, port)
        self._wrap()


class _HTTPSConnection(http.client.HTTPSConnection, _Connection):
    def __init__(self, host: str, port: int, context: ssl.SSLContext) -> None:
        super().__init__(host, port, context=context)
        self._wrap()


def origin_of(url: str) -> Origin:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return (
        scheme,
        (parts.hostname or "").lower(),
        parts.port or _DEFAULT_PORTS.get(scheme, 0),
    )


def _tls() -> ssl.SSLContext:
    if not _default_tls:
        import ssl

        _default_tls.append(ssl.create_default_context())
    return _default_tls[0]


def _connection(origin: Origin, context: ssl.SSLContext | None) -> _Connection:
    entry = _pool.get(origin)
    if entry is not None:
        if entry[0] is context and not entry[1].stale():
            return entry[1]
        entry[1].close()
    scheme, host, port = origin
    conn: _Connection
    if scheme == "https":
        conn = _HTTPSConnection(host, port, context or _tls())
    elif scheme == "http":
        conn = _HTTPConnection(host, port)
    else:
        raise InvalidParameterError(
            f"only http and https URLs can be called, not {scheme!r}"
        )
    _pool[origin] = (context, conn)
    return conn


def _discard(origin: Origin) -> None:
    entry = _pool.pop(origin, None)
    if entry is not None:
        entry[1].close()


def close_all() -> None:
    """Close every pooled connection (for tests)."""
    for origin in list(_pool):
        _discard(origin)


def connection_count() -> int:
    return len(_pool)


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _exchange(
    conn: _Connection,
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | None,
    deadline: float,
    limit: int,
) -> tuple[int, RawHeaders, bytes]:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline reached")
    conn.deadline = deadline
    conn.timeout = left
    if conn.sock is not None:
        conn.sock.settimeout(left)
    conn.request(method, _target(url), body, headers)
    response = conn.getresponse()
    with response:
        try:
            data = read_body(response, response.getheader("content-encoding"), limit)
        except TooLarge as exc:
            exc.status = response.status
            raise
    conn.used = True
    if response.will_close:
        conn.close()
    return response.status, response.getheaders(), data


_RECONNECT = (
    http.client.RemoteDisconnected,
    http.client.BadStatusLine,
    ConnectionResetError,
    ConnectionAbortedError,
    BrokenPipeError,
)


def _once(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | None,
    deadline: float,
    context: ssl.SSLContext | None,
    limit: int,
) -> tuple[int, RawHeaders, bytes]:
    origin = origin_of(url)
    conn = _connection(origin, context)
    reused = conn.used
    try:
        return _exchange(conn, method, url, headers, body, deadline, limit)
    except _RECONNECT:
        _discard(origin)
        if not reused:
            raise
    except BaseException:
        _discard(origin)
        raise
    # The server closed a kept-alive connection before answering: once more on a new one.
    conn = _connection(origin, context)
    try:
        return _exchange(conn, method, url, headers, body, deadline, limit)
    except BaseException:
        _discard(origin)
        raise


def send(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | None,
    timeout: float,
    ssl_context: ssl.SSLContext | None = None,
    label: str | None = None,
    limit: int = 0,
) -> tuple[int, RawHeaders, bytes]:
    """Send the request; return ``(status, headers, body)``.

    The body is read up to ``limit`` decoded bytes (gzip and deflate are
    inflated while reading; 0: no bound); past it
    :class:`ResponseTooLargeError` is raised and the connection dropped.

    HTTP error statuses are returned, not raised; same-origin redirects are
    followed (another origin would receive the credentials: its 3xx is
    returned).  ``timeout`` (seconds) bounds the whole call: connecting,
    sending and every read.  Network failures raise
    :class:`ApiConnectionError`, the timeout :class:`ApiTimeoutError`, with
    ``label`` (default: the URL's path) as the message's ``path``.
    """
    path = label or urlsplit(url).path
    headers = dict(headers)
    if find_header(headers, "User-Agent") is None:
        headers["User-Agent"] = USER_AGENT
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        try:
            status, raw_headers, data = _once(
                method, url, headers, body, deadline, ssl_context, limit
            )
        except TooLarge as exc:
            detail = f"response body is over the {limit} bytes that may be read"
            raise request_error(
                ResponseTooLargeError,
                method,
                path,
                url,
                detail,
                status=exc.status,
                size=exc.read,
                max_response_bytes=limit,
            ) from None
        except TimeoutError as exc:
            seconds = f"timed out after {round(timeout, 1):g} s"
            raise request_error(ApiTimeoutError, method, path, url, seconds) from exc
        except (OSError, http.client.HTTPException) as exc:
            # The detail says what the cause said, scrubbed: the cause itself (an
            # InvalidURL quoting a Location) is not chained, it could hold a secret.
            detail = f"{type(exc).__name__}: {exc}"
            raise request_error(ApiConnectionError, method, path, url, detail) from None
        location = _header(raw_headers, "location") if status in REDIRECTS else None
        if not location:
            break
        target = urljoin(url, location)
        if origin_of(target) != origin_of(url):
            break
        if status == 303 or (status in (301, 302) and method not in ("GET", "HEAD")):
            method = "GET" if method != "HEAD" else method
            body = None
            for name in ("Content-Type", "Content-Length"):
                key = find_header(headers, name)
                if key is not None:
                    del headers[key]
        url = target
    return status, raw_headers, data


def _header(raw_headers: RawHeaders, name: str) -> str | None:
    for key, value in raw_headers:
        if key.lower() == name:
            return value
    return None
