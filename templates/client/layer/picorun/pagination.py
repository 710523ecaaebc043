"""Follow pages: RFC 8288 ``Link: <...>; rel="next"`` headers, or a cursor.

An event asks for it with ``"paginate": true`` or ``{"max_pages": N, ...}``.
Cursor APIs are described by ``PICORUN_PAGINATION_CURSOR_PARAM`` (the query
parameter to send), ``PICORUN_PAGINATION_CURSOR_FIELD`` (where the next
cursor is in the response body, dotted) and ``PICORUN_PAGINATION_ITEMS_FIELD``
(where the items are); Terraform sets them from picofun.toml's
``[pagination]``; the event's ``paginate`` object may set them too.
"""

from __future__ import annotations

import os

from picorun.errors import InvalidParameterError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

DEFAULT_MAX_PAGES = 10
KEYS = ("max_pages", "cursor_param", "cursor_field", "items_field")
_ENV = {
    "max_pages": "PICORUN_PAGINATION_MAX_PAGES",
    "cursor_param": "PICORUN_PAGINATION_CURSOR_PARAM",
    "cursor_field": "PICORUN_PAGINATION_CURSOR_FIELD",
    "items_field": "PICORUN_PAGINATION_ITEMS_FIELD",
}


class Pagination:
    """How pages are followed for one invocation."""

    __slots__ = ("cursor_field", "cursor_param", "items_field", "max_pages")

    def __init__(
        self,
        max_pages: int = DEFAULT_MAX_PAGES,
        cursor_param: str | None = None,
        cursor_field: str | None = None,
        items_field: str | None = None,
    ) -> None:
        self.max_pages = max_pages
        self.cursor_param = cursor_param
        self.cursor_field = cursor_field
        self.items_field = items_field

    @property
    def uses_cursor(self) -> bool:
        return bool(self.cursor_param and self.cursor_field)

    def items(self, body: Any) -> list[Any]:
        """The page's items: ``items_field`` of the body, or the body (a list)."""
        if self.items_field:
            body = field(body, self.items_field)
        if body is None:
            return []
        return list(body) if isinstance(body, list) else [body]

    def cursor(self, body: Any) -> Any:
        """The next cursor from the body (None or "" ends pagination)."""
        if not self.cursor_field:
            return None
        value = field(body, self.cursor_field)
        return None if value in ("", False) else value


def field(body: Any, dotted: str) -> Any:
    """``body["a"]["b"]`` for ``"a.b"``; None when any step is missing."""
    for part in dotted.split("."):
        if not isinstance(body, dict):
            return None
        body = body.get(part)
    return body


def for_event(
    event: Mapping[str, Any], environ: Mapping[str, str] = os.environ
) -> Pagination | None:
    """The pagination asked for by ``event["paginate"]``, or None."""
    ask = event.get("paginate")
    if ask is None or ask is False:
        return None
    if ask is not True and not isinstance(ask, dict):
        raise InvalidParameterError('"paginate" must be true, false or an object')
    settings: dict[str, Any] = {}
    for key, name in _ENV.items():
        if environ.get(name):
            settings[key] = environ[name]
    if "max_pages" in settings:
        try:
            settings["max_pages"] = int(settings["max_pages"])
        except ValueError:
            raise InvalidParameterError(f"invalid {_ENV['max_pages']}") from None
    if isinstance(ask, dict):
        for key, value in ask.items():
            if key not in KEYS:
                raise InvalidParameterError(
                    f'unknown "paginate" key {str(key)[:40]!r} (use {", ".join(KEYS)})'
                )
            settings[key] = value
    pages = settings.get("max_pages", DEFAULT_MAX_PAGES)
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
        raise InvalidParameterError('"paginate.max_pages" must be a whole number >= 1')
    for key in KEYS[1:]:
        if settings.get(key) is not None and not isinstance(settings[key], str):
            raise InvalidParameterError(f'"paginate.{key}" must be a string')
    return Pagination(**settings)


def next_link(link_header: str | None) -> str | None:
    """The target of the first ``rel="next"`` link in a ``Link`` header value."""
    if not link_header:
        return None
    for part in _split_links(link_header):
        part = part.strip()
        if not part.startswith("<") or ">" not in part:
            continue
        target, _, params = part[1:].partition(">")
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "rel":
                rels = value.strip().strip('"').lower().split()
                if "next" in rels:
                    return target.strip()
    return None


def _split_links(header: str) -> list[str]:
    """Split on the commas between links, not those inside ``<...>`` or quotes."""
    parts = []
    depth = 0
    quoted = False
    start = 0
    for i, char in enumerate(header):
        if char == '"' and depth == 0:
            quoted = not quoted
        elif char == "<" and not quoted:
            depth += 1
        elif char == ">" and not quoted:
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0 and not quoted:
            parts.append(header[start:i])
            start = i + 1
    parts.append(header[start:])
    return parts
