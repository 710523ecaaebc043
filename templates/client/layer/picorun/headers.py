"""Serialise header and cookie parameters (style ``simple`` / ``form``).

Header names must be HTTP tokens and values Latin-1 without line breaks;
headers the connection itself writes are dropped.  Imported lazily on the
first invoke.
"""

from __future__ import annotations

from urllib.parse import quote

from picorun.encoding import kind_of, pop_value, present_items, present_pairs, to_text
from picorun.errors import InvalidParameterError, MissingParameterError
from picorun.request import Parameter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

# Printable ASCII allowed in a cookie value (RFC 6265 cookie-octet) plus
# ``%`` so that values which are already percent-encoded are sent unchanged.
COOKIE_SAFE = "!#$%&'()*+-./:<=>?@[]^_`{|}~"

# Headers the connection itself writes (framing, routing, hop-by-hop): an
# event or a hook that sets them would desynchronise the request (a
# Content-Length that is not the body's hangs the call) or route it, with the
# credentials, to another virtual host.  They are dropped.
CONNECTION_HEADERS = frozenset(
    (
        "content-length",
        "transfer-encoding",
        "host",
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "upgrade",
        "expect",
    )
)
# RFC 9110 token characters: what a header name may be made of.
TOKEN = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)


def _check_header(name: str, value: str) -> None:
    if not name or not TOKEN.issuperset(name):
        raise InvalidParameterError(
            f"header name {name!r} is not a valid HTTP header name"
        )
    for text in (name, value):
        if "\r" in text or "\n" in text or "\0" in text:
            raise InvalidParameterError(f"header {name!r} contains a line break")
        try:
            text.encode("latin-1")
        except UnicodeEncodeError:
            raise InvalidParameterError(
                f"header {name!r} has characters outside Latin-1; percent-encode it"
            ) from None


# ------------------------------------------------------------------ headers


def serialize_header_value(value: Any, explode: bool = False) -> str:
    """Serialise a header value with style ``simple`` (no percent-encoding)."""
    kind = kind_of(value)
    if kind == "object":
        pairs = present_pairs(value)
        if explode:
            return ",".join(f"{k}={to_text(v)}" for k, v in pairs)
        return ",".join(f"{k},{to_text(v)}" for k, v in pairs)
    if kind == "array":
        return ",".join(to_text(v) for v in present_items(value))
    return to_text(value)


def serialize_headers(
    headers: Mapping[str, Any], parameters: Iterable[Parameter]
) -> dict[str, str]:
    """Return the outgoing header dict; declared parameters match any case."""
    remaining = dict(headers)
    out = {}
    for param in parameters:
        if param.location != "header":
            continue
        value = pop_value(remaining, param.name, insensitive=True)
        if value is None:
            if param.required:
                raise MissingParameterError(param.name, "header")
            continue
        out[param.name] = serialize_header_value(value, param.explode)
    for name, value in remaining.items():
        if value is not None:
            out[str(name)] = serialize_header_value(value)
    for name in [n for n in out if n.lower() in CONNECTION_HEADERS]:
        del out[name]
    for name, value in out.items():
        _check_header(name, value)
    return out


def find_header(headers: Mapping[str, Any], name: str) -> str | None:
    """Return the key of ``name`` in ``headers`` (any case), or None."""
    lowered = name.lower()
    for key in headers:
        if key.lower() == lowered:
            return key
    return None


# ------------------------------------------------------------------ cookies


def serialize_cookies(
    cookies: Mapping[str, Any], parameters: Iterable[Parameter]
) -> str:
    """Return the ``Cookie`` header value, or an empty string."""
    values = dict(cookies)
    pairs = []
    declared = [p for p in parameters if p.location == "cookie"]
    for param in declared:
        value = pop_value(values, param.name)
        if value is None:
            if param.required:
                raise MissingParameterError(param.name, "cookie")
            continue
        pairs.extend(_cookiepresent_pairs(param, value))
    for name, value in values.items():
        if value is not None:
            pairs.extend(_cookiepresent_pairs(Parameter(str(name), "cookie"), value))
    header = "; ".join(f"{k}={v}" for k, v in pairs)
    _check_header("Cookie", header)
    return header


def _cookiepresent_pairs(param: Parameter, value: Any) -> list[tuple[str, str]]:
    def enc(text: Any) -> str:
        return quote(to_text(text), safe=COOKIE_SAFE)

    kind = kind_of(value)
    if kind == "scalar":
        return [(param.name, enc(value))]
    if kind == "array":
        items = [enc(v) for v in present_items(value)]
        if param.explode:
            return [(param.name, item) for item in items]
        return [(param.name, ",".join(items))] if items else []
    pairs = present_pairs(value)
    if param.explode:
        return [(str(k), enc(v)) for k, v in pairs]
    flat = [part for k, v in pairs for part in (enc(k), enc(v))]
    return [(param.name, ",".join(flat))] if flat else []
