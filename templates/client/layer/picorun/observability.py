"""Logging and tracing, with AWS Lambda Powertools when it is installed.

Only the method, the path template and the status code are logged; never
headers, query values or bodies.  Powertools is imported on first use, not
when ``picorun`` is imported.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import contextlib
    from typing import Any

_observers: dict[str, Observer] = {}


class Observer:
    """Logs requests and opens tracing subsegments for one function."""

    __slots__ = ("logger", "tracer")

    def __init__(self, logger: Any, tracer: Any = None) -> None:
        self.logger = logger
        self.tracer = tracer

    def span(self, name: str) -> contextlib.ExitStack[bool | None]:
        """Return a context manager wrapping a tracing subsegment if possible."""
        import contextlib

        stack = contextlib.ExitStack()
        if self.tracer is not None:
            try:
                stack.enter_context(self.tracer.provider.in_subsegment(name))
            except Exception:  # tracing must never break the call
                self.logger.debug("tracing subsegment unavailable", exc_info=True)
        return stack

    def response(self, label: str, status: int) -> None:
        self.logger.info("%s -> %s", label, status)

    def failure(self, label: str, error: str) -> None:
        self.logger.warning("%s failed: %s", label, error)


def get(function_name: str) -> Observer:
    """Return the (cached) :class:`Observer` for ``function_name``."""
    observer = _observers.get(function_name)
    if observer is None:
        observer = _observers[function_name] = _create(function_name)
    return observer


def _create(function_name: str) -> Observer:
    import importlib

    try:
        powertools: Any = importlib.import_module("aws_lambda_powertools")
        logger = powertools.Logger(service=function_name)
    except (ImportError, AttributeError):
        import logging

        return Observer(logging.getLogger(f"picorun.{function_name}"))
    try:
        tracer = powertools.Tracer(service=function_name)
    except Exception:  # e.g. aws_xray_sdk missing: log without tracing
        logger.debug("tracing unavailable", exc_info=True)
        tracer = None
    return Observer(logger, tracer)


def clear_cache() -> None:
    """Forget the cached observers (for tests)."""
    _observers.clear()
