"""Refresh and retry: which answers drop cached credentials and retry once.

The generated ``auth_hooks`` retries after the statuses in its
``REFRESH_STATUSES`` (401) and drops its caches with ``invalidate()``.  A
preprocessor of your own gets the same treatment when it is marked::

    from picorun.refresh import refreshing

    def drop_token():
        _cache.clear()

    @refreshing(statuses=(401, 404), invalidate=drop_token)
    def add_token(args):
        args.headers["Authorization"] = f"Bearer {token()}"

After an answer with one of ``statuses`` the handler calls ``invalidate()``
(if given), runs the preprocessors again and sends the request once more;
the second answer is final.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, TypeVar

    Invalidate = Callable[[], Any]
    Pair = tuple[frozenset[int], Invalidate | None]
    H = TypeVar("H")

DEFAULT_STATUSES = frozenset({401})
STATUSES_ATTRIBUTE = "picorun_refresh_statuses"
INVALIDATE_ATTRIBUTE = "picorun_invalidate"


def _statuses(values: Iterable[int]) -> frozenset[int]:
    return frozenset(int(s) for s in values)


def refreshing(
    statuses: Iterable[int] = (401,), invalidate: Invalidate | None = None
) -> Callable[[H], H]:
    """Mark a preprocessor: after ``statuses``, call ``invalidate`` and retry once."""
    marked = _statuses(statuses)
    if invalidate is not None and not callable(invalidate):
        raise TypeError("invalidate must be callable")

    def mark(hook: H) -> H:
        setattr(hook, STATUSES_ATTRIBUTE, marked)
        setattr(hook, INVALIDATE_ATTRIBUTE, invalidate)
        return hook

    return mark


def hooks_for(auth: Any, preprocessor: Any) -> list[Pair]:
    """The (statuses, invalidate) pairs of the auth module and the preprocessor."""
    pairs: list[Pair] = []
    if auth is not None:
        invalidate = getattr(auth, "invalidate", None)
        if callable(invalidate):
            statuses = getattr(auth, "REFRESH_STATUSES", DEFAULT_STATUSES)
            pairs.append((_statuses(statuses), invalidate))
    statuses = getattr(preprocessor, STATUSES_ATTRIBUTE, None)
    if statuses:
        pairs.append((statuses, getattr(preprocessor, INVALIDATE_ATTRIBUTE, None)))
    return pairs


def refresh(status: int, pairs: list[Pair]) -> bool:
    """Call the invalidate hooks ``status`` triggers; True when the request is retried."""
    triggered = [invalidate for statuses, invalidate in pairs if status in statuses]
    for invalidate in triggered:
        if invalidate is not None:
            invalidate()
    return bool(triggered)
