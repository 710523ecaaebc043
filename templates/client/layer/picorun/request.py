"""What a request is made of, below every module that builds or sends one.

``Parameter`` and ``RequestArgs`` (what hooks receive), the request's time
budget and the base64 body of an event.  Nothing here imports another
picorun module at run time except ``errors``, so ``endpoint``, ``call``,
``encoding`` and ``hooks`` can all import it without a cycle.
"""

from __future__ import annotations

from picorun.errors import InvalidParameterError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from picorun.endpoint import Endpoint
    from picorun.types import Event

LOCATIONS = ("path", "query", "header", "cookie")
DEFAULT_TIMEOUT = 30.0
TIMEOUT_MARGIN = 1.0
MIN_TIMEOUT = 1.0


class Parameter:
    """One OpenAPI parameter: where it goes and how it is serialised.

    ``style`` defaults to ``simple`` for path and header parameters and to
    ``form`` for query and cookie parameters; ``explode`` defaults to True
    for ``form`` and False otherwise.
    """

    __slots__ = ("allow_reserved", "explode", "location", "name", "required", "style")

    def __init__(
        self,
        name: str,
        location: str,
        required: bool = False,
        style: str | None = None,
        explode: bool | None = None,
        allow_reserved: bool = False,
    ) -> None:
        if location not in LOCATIONS:
            raise ValueError(f"invalid parameter location {location!r}")
        if style is None:
            style = "simple" if location in ("path", "header") else "form"
        if explode is None:
            explode = style == "form"
        self.name = name
        self.location = location
        self.required = bool(required)
        self.style = style
        self.explode = bool(explode)
        self.allow_reserved = bool(allow_reserved)

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, slot) for slot in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Parameter):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Parameter({self.name!r}, {self.location!r}, required={self.required}, "
            f"style={self.style!r}, explode={self.explode}, "
            f"allow_reserved={self.allow_reserved})"
        )


class RequestArgs:
    """The request before serialisation; hooks may change any attribute.

    ``path``, ``query``, ``headers`` and ``cookies`` are fresh dicts (copies
    of the event's), so hooks can mutate them freely.  ``timeout`` is the
    socket timeout in seconds.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        method: str,
        path: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        payload: Any = None,
        headers: dict[str, Any] | None = None,
        cookies: dict[str, Any] | None = None,
        server_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.endpoint = endpoint
        self.method = method
        self.path: dict[str, Any] = dict(path or {})
        self.query: dict[str, Any] = dict(query or {})
        self.payload = payload
        self.headers: dict[str, Any] = dict(headers or {})
        self.cookies: dict[str, Any] = dict(cookies or {})
        self.server_url: str = (
            server_url if server_url is not None else endpoint.server_url
        )
        self.timeout = timeout

    @classmethod
    def from_event(
        cls, endpoint: Endpoint, event: Event, timeout: float = DEFAULT_TIMEOUT
    ) -> RequestArgs:
        """The request an event describes.

        ``payload_base64`` (a base64 string) sends binary bytes as the body,
        for ``application/octet-stream`` and other non-JSON types.
        """
        for section in ("path", "query", "headers", "cookies"):
            value = event.get(section)
            if value is not None and not isinstance(value, dict):
                kind = type(value).__name__
                raise InvalidParameterError(
                    f'"{section}" must be an object (or null), not {kind}'
                )
        payload = event.get("payload")
        encoded = event.get("payload_base64")
        if encoded is not None and payload is None:
            payload = decode_base64(encoded)
        return cls(
            endpoint,
            endpoint.method,
            path=event.get("path"),
            query=event.get("query"),
            payload=payload,
            headers=event.get("headers"),
            cookies=event.get("cookies"),
            server_url=endpoint.server_url,
            timeout=timeout,
        )

    def __repr__(self) -> str:
        # Values may be secrets: show names only.
        return (
            f"RequestArgs({self.method} {self.endpoint.path}, "
            f"path={sorted(self.path)}, query={sorted(self.query)}, "
            f"headers={sorted(self.headers)}, cookies={sorted(self.cookies)})"
        )


def remaining_timeout(context: Any) -> float:
    """Seconds the request may take, from the Lambda context.

    The remaining time minus a 1 s margin, at least 1 s; 30 s without a
    usable context.
    """
    get_remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(get_remaining):
        return DEFAULT_TIMEOUT
    try:
        seconds = float(get_remaining()) / 1000.0
    except (TypeError, ValueError):
        return DEFAULT_TIMEOUT
    return max(seconds - TIMEOUT_MARGIN, MIN_TIMEOUT)


def decode_base64(text: Any) -> bytes:
    """The bytes of an event's ``payload_base64``."""
    import base64
    import binascii

    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise InvalidParameterError('"payload_base64" is not valid base64') from None
