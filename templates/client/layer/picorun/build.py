"""Build one request (URL, headers, body) from the arguments of an event.

Imported lazily on the first invoke.
"""

from __future__ import annotations

from picorun.encoding import serialize_path, serialize_query
from picorun.errors import InvalidParameterError, MissingParameterError
from picorun.headers import find_header, serialize_cookies, serialize_headers
from picorun.payload import encode_body

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from picorun.request import RequestArgs

    T = TypeVar("T")


def checked(build: Callable[..., T], *args: Any) -> T:
    """``build(*args)``, with what an event cannot hold as InvalidParameterError.

    Text that is not valid Unicode (a lone surrogate), values nested too
    deeply to serialise and values of the wrong type would otherwise surface
    as a bare UnicodeEncodeError, RecursionError or TypeError.
    """
    try:
        return build(*args)
    except (InvalidParameterError, MissingParameterError):
        raise
    except UnicodeError:
        raise InvalidParameterError(
            "the event holds text that is not valid Unicode (a lone surrogate)"
        ) from None
    except RecursionError:
        raise InvalidParameterError("the event is nested too deeply") from None
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(
            f"the event holds a value that cannot be sent ({type(exc).__name__})"
        ) from None


def build_request(args: RequestArgs) -> tuple[str, dict[str, str], bytes | None]:
    """Return ``(url, headers, body)`` for a :class:`RequestArgs`."""
    endpoint = args.endpoint
    parameters = endpoint.parameters
    path = serialize_path(endpoint.path, args.path or {}, parameters)
    query = serialize_query(args.query or {}, parameters)
    headers = serialize_headers(args.headers or {}, parameters)
    cookie = serialize_cookies(args.cookies or {}, parameters)
    if cookie:
        key = find_header(headers, "Cookie")
        headers[key or "Cookie"] = (
            f"{headers[key]}; {cookie}" if key and headers[key] else cookie
        )
    content_type = endpoint.body_content_type
    body = encode_body(args.payload, content_type, endpoint.body_required, headers)
    base = args.server_url or ""
    if not base.lower().startswith(("http://", "https://")):
        raise InvalidParameterError(f"server URL must be http(s)://..., got {base!r}")
    url = base.rstrip("/") + path
    if query:
        url += ("&" if "?" in url else "?") + query
    return url, headers, body
