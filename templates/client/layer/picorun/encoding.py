"""Serialise path and query parameters, and the value helpers every part shares.

Serialisation follows the OpenAPI 3 ``style``/``explode`` rules (headers and
cookies: ``headers.py``; the body: ``payload.py``; the whole request:
``build.py``).  Every individual name and value is
percent-encoded on its own, while the delimiters that a style adds (``,``
``.`` ``;`` ``=`` ``&``) stay literal, so a value can never change the shape
of the URL.

This module is imported lazily on the first invoke, so it may import freely.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from picorun.errors import InvalidParameterError, MissingParameterError
from picorun.request import Parameter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

    Encoder = Callable[[Any], str]

# Reserved characters (RFC 3986) left as they are when a query parameter has
# ``allowReserved``.  ``&``, ``=``, ``#`` and ``+`` are still escaped because
# leaving them would change how the query string is split or decoded.
RESERVED_SAFE = ":/?@!$'()*,;[]"

SPACE = "%20"
PIPE = "%7C"


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


def kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return "scalar"


def present_pairs(value: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    return [(k, v) for k, v in value.items() if v is not None]


def present_items(value: Iterable[Any]) -> list[Any]:
    return [v for v in value if v is not None]


def pop_value(mapping: dict[Any, Any], name: str, insensitive: bool = False) -> Any:
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
    kind = kind_of(value)
    if kind == "object":
        pairs = [(enc(k), enc(v)) for k, v in present_pairs(value)]
        if explode:
            parts = [f"{k}={v}" for k, v in pairs]
        else:
            parts = [part for pair in pairs for part in pair]
    elif kind == "array":
        parts = [enc(v) for v in present_items(value)]
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
    kind = kind_of(value)

    if style == "deepObject" and kind == "object":
        return _deep_object(name, value, enc)
    if kind == "scalar":
        return [f"{name}={enc(value)}"]
    if kind == "array":
        items = [enc(v) for v in present_items(value)]
        if not items:
            return []
        if param.explode:
            return [f"{name}={item}" for item in items]
        return [f"{name}={_delimiter(style).join(items)}"]
    pairs = present_pairs(value)
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
    for key, item in present_pairs(value):
        name = f"{prefix}[{quote(str(key), safe='')}]"
        kind = kind_of(item)
        if kind == "object":
            out.extend(_deep_object(name, item, enc))
        elif kind == "array":
            out.extend(f"{name}={enc(v)}" for v in present_items(item))
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
        value = pop_value(values, param.name)
        if value is None:
            if param.required:
                raise MissingParameterError(param.name, "query")
            continue
        parts.extend(serialize_query_param(param, value))
    for name, value in values.items():
        if value is not None:
            parts.extend(serialize_query_param(Parameter(str(name), "query"), value))
    return "&".join(parts)
