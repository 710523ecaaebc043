"""The JSON messages of picorun's errors (see picorun.errors).

Everything an error carries goes through :func:`picorun.redact.scrub`: a
credential the API echoes never reaches Lambda's error output.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from picorun.errors import ApiError, HttpError, error_class_for
from picorun.redact import scrub, scrub_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

#: Characters of the response body kept in an error message.
BODY_LIMIT = 4096

_KEPT_HEADERS = ("retry-after", "content-type", "location")
_KEPT_MARKERS = (
    "request-id",
    "requestid",
    "correlation-id",
    "trace-id",
    "ratelimit",
    "rate-limit",
)


def public_url(url: str) -> str:
    """``url`` without user info, query string or fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def recovery_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The response headers worth showing in an error (lower-case names)."""
    kept = {}
    for name, value in headers.items():
        key = name.lower()
        if key in _KEPT_HEADERS or any(m in key for m in _KEPT_MARKERS):
            kept[key] = value
    return kept


def describe(info: dict[str, Any], body: Any = None, with_body: bool = False) -> str:
    """Compact JSON for an error message; ``body`` is cut to BODY_LIMIT."""
    if with_body:
        try:
            text = body if isinstance(body, str) else _dumps(body)
        except RecursionError:
            body = text = "(body nested too deeply to show)"
        if len(text) > BODY_LIMIT:
            info["body"] = text[:BODY_LIMIT]
            info["truncated"] = True
        else:
            info["body"] = body
    return _dumps(info)


def _dumps(value: Any) -> str:
    try:
        return json.dumps(
            value,
            separators=(",", ":"),
            ensure_ascii=False,
            default=str,
            allow_nan=False,
        )
    except ValueError:
        pass
    # NaN or Infinity (an API's non-JSON "JSON") are written as strings:
    # the message stays JSON that States.StringToJson reads.
    text = json.dumps(value, default=str)
    return _dumps(json.loads(text, parse_constant=str))


def http_error(
    status: int,
    method: str,
    path: str,
    url: str,
    headers: dict[str, str],
    body: Any,
) -> HttpError:
    """The named error for an HTTP error response, with its JSON message."""
    headers = scrub(headers)
    body = scrub(body)
    info: dict[str, Any] = {
        "status": status,
        "method": method,
        "path": path,
        "url": scrub_text(public_url(url)),
        "headers": recovery_headers(headers),
    }
    message = describe(info, body, with_body=True)
    return error_class_for(status)(message, status, body, headers)


def request_error(
    cls: type[ApiError], method: str, path: str, url: str, detail: str, **extra: Any
) -> ApiError:
    """A connection, timeout or size error with a JSON message."""
    info: dict[str, Any] = {
        "method": method,
        "path": path,
        "url": scrub_text(public_url(url)),
    }
    info.update(extra)
    info["error"] = scrub_text(detail)
    return cls(describe(info), extra.get("status"))
