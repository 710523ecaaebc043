"""Read a response body within a byte budget, inflating gzip and deflate.

Decoded bytes are counted while they are read: a compressed body is
inflated piece by piece with ``max_length``, so a small "zip bomb" stops at
the budget instead of filling the function's memory.  A body that is not
valid gzip/deflate after all is kept as received (bounded the same way).

Imported lazily by ``picorun.transport``; it imports nothing of picorun.
"""

from __future__ import annotations

import zlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from http.client import HTTPResponse

#: Bytes read from the socket at a time.
CHUNK = 64 * 1024
COMPRESSED = ("gzip", "x-gzip", "deflate")


class TooLarge(Exception):
    """The body went over the budget: ``read`` bytes decoded (or announced)."""

    def __init__(self, read: int, limit: int) -> None:
        super().__init__(f"over {limit} bytes")
        self.read = read
        self.limit = limit
        self.status = 0


class _Inflater:
    """A gzip (possibly several members) or deflate (zlib or raw) stream."""

    def __init__(self, encoding: str) -> None:
        self.gzip = encoding != "deflate"
        self.obj: zlib._Decompress | None = None
        self.started = b""

    def _new(self, head: bytes) -> zlib._Decompress:
        if self.gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # RFC 9110's deflate is zlib-wrapped; some servers send raw deflate.
        zlib_header = (
            len(head) >= 2
            and head[0] & 0x0F == 8
            and (head[0] << 8 | head[1]) % 31 == 0
        )
        return zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Inflate ``data``; at most ``room + 1`` bytes come out (0: no bound)."""
        if self.obj is None:
            self.started += data
            if len(self.started) < 2:
                return b""
            data, self.started = self.started, b""
            self.obj = self._new(data)
        out = self.obj.decompress(data, room + 1 if room else 0)
        if room and len(out) > room:
            return out
        while self.gzip and self.obj.eof and self.obj.unused_data[:2] == b"\x1f\x8b":
            # Another gzip member follows (concatenated gzip is valid).
            rest = self.obj.unused_data
            self.obj = self._new(rest)
            left = room - len(out) if room else 0
            out += self.obj.decompress(rest, left + 1 if room else 0)
            if room and len(out) > room:
                break
        return out

    def finish(self) -> bytes:
        if self.obj is None:
            if not self.started:
                return b""
            self.obj = self._new(self.started)
            self.obj.decompress(self.started)
        if not self.obj.eof:
            raise zlib.error("truncated stream")
        return self.obj.flush()


def read_body(response: HTTPResponse, encoding: str | None, limit: int) -> bytes:
    """The body of ``response``, decoded; ``limit`` bytes at most (0: no bound).

    Raises :class:`TooLarge` as soon as the decoded body (or the raw one,
    for a body that turns out not to be compressed) passes ``limit``; the
    rest is not read, so the connection cannot be reused.
    """
    length = response.length
    coding = (encoding or "").strip().lower()
    inflater = _Inflater(coding) if coding in COMPRESSED else None
    if limit and inflater is None and length is not None and length > limit:
        raise TooLarge(length, limit)
    raw: list[bytes] = []
    raw_size = 0
    out: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(CHUNK)
        if not chunk:
            break
        raw_size += len(chunk)
        if limit and raw_size > limit + CHUNK:
            # Not even the compressed form fits (or the stream is padding).
            raise TooLarge(size, limit)
        if inflater is None:
            size = raw_size
            if limit and size > limit:
                raise TooLarge(size, limit)
            raw.append(chunk)
            continue
        raw.append(chunk)
        try:
            piece = inflater.feed(chunk, limit - size if limit else 0)
        except zlib.error:
            inflater = None
            size = raw_size
            continue
        size += len(piece)
        if limit and size > limit:
            raise TooLarge(size, limit)
        out.append(piece)
    if inflater is None:
        data = b"".join(raw)
        if limit and len(data) > limit:
            raise TooLarge(len(data), limit)
        return data
    try:
        out.append(inflater.finish())
    except zlib.error:
        # Not gzip/deflate after all, or cut short: what the server sent.
        data = b"".join(raw)
        if limit and len(data) > limit:
            raise TooLarge(len(data), limit) from None
        return data
    data = b"".join(out)
    if limit and len(data) > limit:
        raise TooLarge(len(data), limit)
    return data
