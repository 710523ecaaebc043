"""When to send a request again, and how long to wait first.

Defaults come from the ``PICORUN_RETRY_*`` environment variables (Terraform
sets them from picofun.toml's ``[retry]``); an event may override them with
``"retry": {...}`` or turn retries off with ``"retry": false``.
"""

from __future__ import annotations

import os
import random
import time

from picorun.errors import InvalidParameterError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

DEFAULT_ATTEMPTS = 3
DEFAULT_STATUSES = (408, 429, 500, 502, 503, 504)
DEFAULT_METHODS = ("GET", "HEAD", "OPTIONS", "PUT", "DELETE")
DEFAULT_BASE = 0.5
DEFAULT_CAP = 10.0
# Statuses that mean "not processed, come back later" when sent with Retry-After:
# retried for every method, not only idempotent ones.
UNPROCESSED = (429, 503)
KEYS = ("max_attempts", "statuses", "methods", "base", "cap")


class RetryPolicy:
    """How often and on what a request is retried."""

    __slots__ = ("base", "cap", "max_attempts", "methods", "statuses")

    def __init__(
        self,
        max_attempts: int = DEFAULT_ATTEMPTS,
        statuses: tuple[int, ...] = DEFAULT_STATUSES,
        methods: tuple[str, ...] = DEFAULT_METHODS,
        base: float = DEFAULT_BASE,
        cap: float = DEFAULT_CAP,
    ) -> None:
        self.max_attempts = max_attempts
        self.statuses = statuses
        self.methods = methods
        self.base = base
        self.cap = cap

    def __repr__(self) -> str:
        return (
            f"RetryPolicy(max_attempts={self.max_attempts}, statuses={self.statuses}, "
            f"methods={self.methods}, base={self.base}, cap={self.cap})"
        )

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2 ** (attempt - 1))]."""
        return random.uniform(0.0, min(self.cap, self.base * 2 ** (attempt - 1)))

    def delay(
        self,
        attempt: int,
        method: str,
        status: int | None,
        headers: Mapping[str, str] | None,
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None not to retry.

        ``status`` is None for a connection error or a timeout.
        """
        if attempt >= self.max_attempts:
            return None
        if status is None:
            return self.backoff(attempt) if method in self.methods else None
        if status not in self.statuses:
            return None
        after = retry_after((headers or {}).get("retry-after"))
        if method not in self.methods and not (
            status in UNPROCESSED and after is not None
        ):
            return None
        return after if after is not None else self.backoff(attempt)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` value (delta-seconds or an HTTP-date)."""
    if value is None:
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.replace(" ", "").split(",") if part)


def _methods(text: str) -> tuple[str, ...]:
    return tuple(part.upper() for part in text.replace(" ", "").split(",") if part)


def from_environment(environ: Mapping[str, str] = os.environ) -> RetryPolicy:
    """The defaults: ``PICORUN_RETRY_{MAX_ATTEMPTS,STATUSES,METHODS,BASE,CAP}``."""
    policy = RetryPolicy()
    try:
        if "PICORUN_RETRY_MAX_ATTEMPTS" in environ:
            policy.max_attempts = int(environ["PICORUN_RETRY_MAX_ATTEMPTS"])
        if "PICORUN_RETRY_STATUSES" in environ:
            policy.statuses = _ints(environ["PICORUN_RETRY_STATUSES"])
        if "PICORUN_RETRY_METHODS" in environ:
            policy.methods = _methods(environ["PICORUN_RETRY_METHODS"])
        if "PICORUN_RETRY_BASE" in environ:
            policy.base = float(environ["PICORUN_RETRY_BASE"])
        if "PICORUN_RETRY_CAP" in environ:
            policy.cap = float(environ["PICORUN_RETRY_CAP"])
    except ValueError as exc:
        raise InvalidParameterError(f"invalid PICORUN_RETRY_* setting: {exc}") from None
    return policy


def for_event(
    event: Mapping[str, Any], environ: Mapping[str, str] = os.environ
) -> RetryPolicy:
    """The policy for one invocation: environment defaults, then ``event["retry"]``."""
    policy = from_environment(environ)
    override = event.get("retry")
    if override is None or override is True:
        return policy
    if override is False:
        policy.max_attempts = 1
        return policy
    if not isinstance(override, dict):
        raise InvalidParameterError('"retry" must be false or an object')
    for key, value in override.items():
        if key not in KEYS:
            raise InvalidParameterError(
                f'unknown "retry" key {str(key)[:40]!r} (use {", ".join(KEYS)})'
            )
        setattr(policy, key, _checked(key, value))
    return policy


def _checked(key: str, value: Any) -> Any:
    # Only a short scalar is quoted: a deeply nested value has no repr.
    shown = repr(value)[:40] if isinstance(value, (str, int, float)) else None
    what = shown if shown is not None else f"of type {type(value).__name__}"
    bad = InvalidParameterError(f'"retry.{key}" has an invalid value {what}')
    if key == "max_attempts":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad
        return value
    if key in ("base", "cap"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise bad
        return float(value)
    if not isinstance(value, list):
        raise bad
    if key == "statuses":
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise bad
        return tuple(value)
    if not all(isinstance(v, str) for v in value):
        raise bad
    return tuple(v.upper() for v in value)
