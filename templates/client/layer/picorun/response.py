"""Turn a response (status, headers, bytes) into the handler's result.

JSON is parsed, text decoded by its charset, anything else base64-encoded.
Imported lazily on the first invoke.
"""

from __future__ import annotations

from picorun.encoding import is_json, media_type
from picorun.payload import charset

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    RawHeaders = list[tuple[str, str]]

_TEXT_MARKERS = (
    "json",
    "xml",
    "javascript",
    "ecmascript",
    "yaml",
    "csv",
    "x-www-form-urlencoded",
    "graphql",
)


def merge_headers(raw_headers: RawHeaders) -> dict[str, str]:
    """Lower-case header names; repeated headers are joined with ", "."""
    merged: dict[str, str] = {}
    for name, value in raw_headers:
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


def _is_text(media: str) -> bool:
    return media.startswith("text/") or any(m in media for m in _TEXT_MARKERS)


class NonFinite(Exception):
    """A JSON body holds NaN or Infinity (refused where the result is final)."""


def _refuse(constant: str) -> Any:
    raise NonFinite(constant)


def decode_body(
    data: bytes, headers: dict[str, str], strict: bool = False
) -> tuple[Any, bool]:
    """Return ``(body, is_base64)`` for (already inflated) response bytes.

    JSON types are parsed (text is returned if parsing fails or is nested
    too deeply), textual types are decoded, binary types become a base64
    string.  Without a Content-Type, valid UTF-8 is returned as text and
    anything else as base64.  With ``strict``, NaN or Infinity in JSON
    raise :class:`NonFinite`.
    """
    if not data:
        return None, False
    content_type = headers.get("content-type", "")
    media = media_type(content_type)
    if not media:
        try:
            return data.decode("utf-8"), False
        except UnicodeDecodeError:
            return _base64(data), True
    if not _is_text(media):
        return _base64(data), True
    try:
        text = data.decode(charset(content_type), "replace")
    except (UnicodeError, LookupError):  # a codec without "replace" (idna)
        text = data.decode("utf-8", "replace")
    if is_json(content_type):
        import json

        try:
            if strict:
                return json.loads(text, parse_constant=_refuse), False
            return json.loads(text), False
        except (ValueError, RecursionError):
            return text, False
    return text, False


def _base64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def to_result(
    status: int, raw_headers: RawHeaders, data: bytes, strict: bool = False
) -> dict[str, Any]:
    """Build the handler result dict (``strict``: see :func:`decode_body`)."""
    headers = merge_headers(raw_headers)
    body, is_base64 = decode_body(data, headers, strict)
    result: dict[str, Any] = {"statusCode": status, "headers": headers, "body": body}
    if is_base64:
        result["isBase64Encoded"] = True
    return result
