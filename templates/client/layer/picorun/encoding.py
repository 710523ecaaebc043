"""Turn request arguments into a URL, headers and a body.

Serialisation follows the OpenAPI 3 ``style``/``explode`` rules for path,
query, header and cookie parameters.  Every individual name and value is
percent-encoded on its own, while the delimiters that a style adds (``,``
``.`` ``;`` ``=`` ``&``) stay literal, so a value can never change the shape
of the URL.

This module is imported lazily on the first invoke, so it may import freely.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote, urlencode

from picorun.errors import InvalidParameterError, MissingParameterError
from picorun.request import Parameter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any, TypeVar

    from picorun.request import RequestArgs

    Encoder = Callable[[Any], str]
    T = TypeVar("T")

# Reserved characters (RFC 3986) left as they are when a query parameter has
# ``allowReserved``.  ``&``, ``=``, ``#`` and ``+`` are still escaped because
# leaving them would change how the query string is split or decoded.
RESERVED_SAFE = ":/?@!$'()*,;[]"

# Printable ASCII allowed in a cookie value (RFC 6265 cookie-octet) plus
# ``%`` so that values which are already percent-encoded are sent unchanged.
COOKIE_SAFE = "!#$%&'()*+-./:<=>?@[]^_`{|}~"

SPACE = "%20"
PIPE = "%7C"

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


def to_text(value: Any) -> str:
    """Render one scalar value as text the way OpenAPI expects it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def media_type(content_type: str | None) -> str:
    """Return the lower-cased media type without parameters."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def is_json(content_type: str | None) -> bool:
    """True for ``application/json``, ``text/json`` and ``*/*+json`` types."""
    media = media_type(content_type)
    return media in ("application/json", "text/json") or media.endswith("+json")


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return "scalar"


def _pairs(value: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    return [(k, v) for k, v in value.items() if v is not None]


def _items(value: Iterable[Any]) -> list[Any]:
    return [v for v in value if v is not None]


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


def _pop(mapping: dict[Any, Any], name: str, insensitive: bool = False) -> Any:
    """Remove ``name`` from ``mapping`` and return its value (or None).

    With ``insensitive`` every case variant of the name is removed and the
    first non-None value wins.
    """
    if not insensitive:
        return mapping.pop(name, None)
    lowered = name.lower()
    value = None
    for key in [k for k in mapping if str(k).lower() == lowered]:
        found = mapping.pop(key)
        if value is None:
            value = found
    return value


# --------------------------------------------------------------------- path


def serialize_path_value(param: Parameter, value: Any) -> str:
    """Serialise one path parameter value (styles simple, label, matrix)."""

    def enc(text: Any) -> str:
        return quote(to_text(text), safe="")

    style = param.style
    explode = param.explode
    kind = _kind(value)
    if kind == "object":
        pairs = [(enc(k), enc(v)) for k, v in _pairs(value)]
        if explode:
            parts = [f"{k}={v}" for k, v in pairs]
        else:
            parts = [part for pair in pairs for part in pair]
    elif kind == "array":
        parts = [enc(v) for v in _items(value)]
    else:
        parts = [enc(value)]

    if style == "label":
        sep = "." if explode and kind != "scalar" else ","
        return "." + sep.join(parts)
    if style == "matrix":
        name = enc(param.name)
        if kind == "object" and explode:
            return "".join(f";{part}" for part in parts)
        if kind == "array" and explode:
            return "".join(f";{name}={part}" for part in parts)
        joined = ",".join(parts)
        return f";{name}={joined}" if joined else f";{name}"
    return ",".join(parts)


def serialize_path(
    template: str, values: Mapping[str, Any], parameters: Iterable[Parameter]
) -> str:
    """Fill ``{name}`` placeholders of ``template`` from ``values``."""
    declared = {p.name: p for p in parameters if p.location == "path"}
    out = []
    pos = 0
    while True:
        start = template.find("{", pos)
        end = template.find("}", start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(template[pos:])
            break
        out.append(template[pos:start])
        name = template[start + 1 : end]
        value = values.get(name)
        if value is None:
            raise MissingParameterError(name, "path")
        if value == "" or value == [] or value == {}:
            # An empty segment would call another operation (/pets/ for /pets/{id}).
            raise InvalidParameterError(f"path parameter {name!r} is empty")
        param = declared.get(name)
        if param is None:
            param = Parameter(name, "path")
        out.append(serialize_path_value(param, value))
        pos = end + 1
    return "".join(out)


# -------------------------------------------------------------------- query


def serialize_query_param(param: Parameter, value: Any) -> list[str]:
    """Return a list of ``key=value`` strings for one query parameter."""
    safe = RESERVED_SAFE if param.allow_reserved else ""

    def enc(text: Any) -> str:
        return quote(to_text(text), safe=safe)

    name = quote(param.name, safe="")
    style = param.style
    kind = _kind(value)

    if style == "deepObject" and kind == "object":
        return _deep_object(name, value, enc)
    if kind == "scalar":
        return [f"{name}={enc(value)}"]
    if kind == "array":
        items = [enc(v) for v in _items(value)]
        if not items:
            return []
        if param.explode:
            return [f"{name}={item}" for item in items]
        return [f"{name}={_delimiter(style).join(items)}"]
    pairs = _pairs(value)
    if not pairs:
        return []
    if param.explode:
        return [f"{quote(str(k), safe='')}={enc(v)}" for k, v in pairs]
    flat = [part for k, v in pairs for part in (enc(k), enc(v))]
    return [f"{name}={_delimiter(style).join(flat)}"]


def _delimiter(style: str) -> str:
    if style == "spaceDelimited":
        return SPACE
    if style == "pipeDelimited":
        return PIPE
    return ","


def _deep_object(prefix: str, value: Mapping[Any, Any], enc: Encoder) -> list[str]:
    out = []
    for key, item in _pairs(value):
        name = f"{prefix}[{quote(str(key), safe='')}]"
        kind = _kind(item)
        if kind == "object":
            out.extend(_deep_object(name, item, enc))
        elif kind == "array":
            out.extend(f"{name}={enc(v)}" for v in _items(item))
        else:
            out.append(f"{name}={enc(item)}")
    return out


def serialize_query(values: Mapping[str, Any], parameters: Iterable[Parameter]) -> str:
    """Serialise every query value; undeclared keys use form + explode."""
    values = dict(values)
    parts = []
    for param in parameters:
        if param.location != "query":
            continue
        value = _pop(values, param.name)
        if value is None:
            if param.required:
                raise MissingParameterError(param.name, "query")
            continue
        parts.extend(serialize_query_param(param, value))
    for name, value in values.items():
        if value is not None:
            parts.extend(serialize_query_param(Parameter(str(name), "query"), value))
    return "&".join(parts)


# ------------------------------------------------------------------ headers


def serialize_header_value(value: Any, explode: bool = False) -> str:
    """Serialise a header value with style ``simple`` (no percent-encoding)."""
    kind = _kind(value)
    if kind == "object":
        pairs = _pairs(value)
        if explode:
            return ",".join(f"{k}={to_text(v)}" for k, v in pairs)
        return ",".join(f"{k},{to_text(v)}" for k, v in pairs)
    if kind == "array":
        return ",".join(to_text(v) for v in _items(value))
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
        value = _pop(remaining, param.name, insensitive=True)
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
        value = _pop(values, param.name)
        if value is None:
            if param.required:
                raise MissingParameterError(param.name, "cookie")
            continue
        pairs.extend(_cookie_pairs(param, value))
    for name, value in values.items():
        if value is not None:
            pairs.extend(_cookie_pairs(Parameter(str(name), "cookie"), value))
    header = "; ".join(f"{k}={v}" for k, v in pairs)
    _check_header("Cookie", header)
    return header


def _cookie_pairs(param: Parameter, value: Any) -> list[tuple[str, str]]:
    def enc(text: Any) -> str:
        return quote(to_text(text), safe=COOKIE_SAFE)

    kind = _kind(value)
    if kind == "scalar":
        return [(param.name, enc(value))]
    if kind == "array":
        items = [enc(v) for v in _items(value)]
        if param.explode:
            return [(param.name, item) for item in items]
        return [(param.name, ",".join(items))] if items else []
    pairs = _pairs(value)
    if param.explode:
        return [(str(k), enc(v)) for k, v in pairs]
    flat = [part for k, v in pairs for part in (enc(k), enc(v))]
    return [(param.name, ",".join(flat))] if flat else []


# --------------------------------------------------------------------- body


def encode_body(
    payload: Any, content_type: str | None, required: bool, headers: dict[str, str]
) -> bytes | None:
    """Encode ``payload``; sets Content-Type in ``headers`` unless present.

    Returns the body as bytes, or None when there is nothing to send.
    """
    if payload is None:
        if required:
            raise MissingParameterError("payload", "body")
        return None
    existing = find_header(headers, "Content-Type")
    chosen = headers[existing] if existing else content_type
    media = media_type(chosen)

    if isinstance(payload, (bytes, bytearray, memoryview)):
        data = bytes(payload)
        chosen = chosen or "application/octet-stream"
    elif not media or is_json(chosen):
        data = _json_body(payload)
        chosen = chosen or "application/json"
    elif media == "application/x-www-form-urlencoded":
        data = _form_body(payload)
    elif media == "multipart/form-data" and isinstance(payload, dict):
        data, chosen = _multipart_body(payload)
    elif isinstance(payload, str) or media.startswith("text/"):
        data = to_text(payload).encode(charset(chosen))
    else:
        data = _json_body(payload)
    headers[existing or "Content-Type"] = chosen or "application/octet-stream"
    return data


def _json_body(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def charset(content_type: str | None) -> str:
    """The charset a Content-Type names, if Python knows it; else utf-8."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
            try:
                "".encode(charset)
            except LookupError:
                break
            return charset
    return "utf-8"


def _form_body(payload: Any) -> bytes:
    if isinstance(payload, str):
        return payload.encode("utf-8")
    items = payload.items() if isinstance(payload, dict) else payload
    pairs: list[tuple[Any, str]] = []
    for key, value in items:
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((key, to_text(v)) for v in value if v is not None)
        else:
            pairs.append((key, to_text(value)))
    return urlencode(pairs).encode("ascii")


def _multipart_body(payload: Mapping[Any, Any]) -> tuple[bytes, str]:
    boundary = "picorun-" + os.urandom(12).hex()
    chunks = []
    for name, value in payload.items():
        if value is None:
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            chunks.append(f"--{boundary}\r\n".encode())
            disposition = f'Content-Disposition: form-data; name="{_quoted(name)}"'
            if isinstance(item, (bytes, bytearray)):
                chunks.append(
                    f'{disposition}; filename="{_quoted(name)}"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n".encode()
                )
                chunks.append(bytes(item))
            else:
                chunks.append(f"{disposition}\r\n\r\n".encode())
                chunks.append(to_text(item).encode("utf-8"))
            chunks.append(b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def _quoted(name: Any) -> str:
    return str(name).replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", " ")


# ---------------------------------------------------------------------- all


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
