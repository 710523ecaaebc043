"""Type aliases for annotations; imported only by type checkers.

``from picorun.types import Event, Result`` inside ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

#: The invocation event: ``{"path", "query", "payload", "headers", ...}``.
Event = dict[str, Any]
#: What a handler returns: ``{"statusCode", "headers", "body", ...}``.
Result = dict[str, Any]
#: A pre- or postprocessor.
Hook = Callable[..., Any]


class LambdaContext(Protocol):
    """The part of the Lambda context object picorun uses."""

    def get_remaining_time_in_millis(self) -> int: ...
