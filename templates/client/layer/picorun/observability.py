"""Logging and tracing, with AWS Lambda Powertools when it is installed.

Only the method, the path template and the status code are logged; never
headers, query values or bodies.  Powertools is imported on first use, not
when ``picorun`` is imported.
"""

_observers = {}


class Observer:
    """Logs requests and opens tracing subsegments for one function."""

    __slots__ = ("logger", "tracer")

    def __init__(self, logger, tracer=None):
        self.logger = logger
        self.tracer = tracer

    def span(self, name):
        """Return a context manager wrapping a tracing subsegment if possible."""
        import contextlib

        stack = contextlib.ExitStack()
        if self.tracer is not None:
            try:
                stack.enter_context(self.tracer.provider.in_subsegment(name))
            except Exception:  # tracing must never break the call
                self.logger.debug("tracing subsegment unavailable", exc_info=True)
        return stack

    def response(self, label, status):
        self.logger.info("%s -> %s", label, status)

    def failure(self, label, error):
        self.logger.warning("%s failed: %s", label, error)


def get(function_name):
    """Return the (cached) :class:`Observer` for ``function_name``."""
    observer = _observers.get(function_name)
    if observer is None:
        observer = _observers[function_name] = _create(function_name)
    return observer


def _create(function_name):
    try:
        from aws_lambda_powertools import Logger
    except ImportError:
        import logging

        return Observer(logging.getLogger(f"picorun.{function_name}"))
    logger = Logger(service=function_name)
    try:
        from aws_lambda_powertools import Tracer

        tracer = Tracer(service=function_name)
    except Exception:  # e.g. aws_xray_sdk missing: log without tracing
        logger.debug("tracing unavailable", exc_info=True)
        tracer = None
    return Observer(logger, tracer)


def clear_cache():
    """Forget the cached observers (for tests)."""
    _observers.clear()
