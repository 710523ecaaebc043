"""Encode a request body by its Content-Type (JSON, form, multipart, text, bytes).

Imported lazily on the first invoke.
"""

from __future__ import annotations

import json
import os
from urllib.parse import urlencode

from picorun.encoding import is_json, media_type, to_text
from picorun.errors import MissingParameterError
from picorun.headers import find_header

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


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
