"""The Endpoint a generated handler declares, and what its hooks receive."""

from __future__ import annotations

# Parameter, RequestArgs and remaining_timeout live in picorun.request (below
# call, encoding and hooks); they are re-exported here, where handlers and
# hooks have always imported them from.
from picorun.request import Parameter, RequestArgs, remaining_timeout

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from picorun.types import Event, Hook

__all__ = ["Endpoint", "Parameter", "RequestArgs", "remaining_timeout"]


class Endpoint:
    """One API operation; ``invoke`` is the whole Lambda handler."""

    __slots__ = (
        "body_content_type",
        "body_required",
        "function_name",
        "method",
        "parameters",
        "path",
        "postprocessor",
        "preprocessor",
        "security",
        "server_url",
    )

    def __init__(
        self,
        function_name: str,
        method: str,
        path: str,
        server_url: str,
        parameters: Iterable[Parameter] = (),
        body_content_type: str | None = None,
        body_required: bool = False,
        preprocessor: str | Hook | None = None,
        postprocessor: str | Hook | None = None,
        security: Iterable[str] | None = None,
    ) -> None:
        self.function_name = function_name
        self.method = method.upper()
        self.path = path
        self.server_url = server_url
        self.parameters = tuple(parameters)
        self.body_content_type = body_content_type
        self.body_required = bool(body_required)
        self.preprocessor = preprocessor
        self.postprocessor = postprocessor
        self.security = tuple(security) if security is not None else None

    def __repr__(self) -> str:
        return f"Endpoint({self.function_name!r}, {self.method} {self.path})"

    def _auth(self) -> Any:
        from picorun import hooks

        if self.security is not None and not self.security:
            return None
        return hooks.auth_module()

    def invoke(self, event: Event | None, context: Any = None) -> Any:
        """Call the API for ``event``; return the result or raise ApiError.

        Besides ``path``, ``query``, ``payload`` (or ``payload_base64``),
        ``headers`` and ``cookies``, the event may carry ``retry``,
        ``paginate`` and ``max_response_bytes`` (see picorun.call).
        """
        from picorun import call

        return call.invoke(self, event, context)
