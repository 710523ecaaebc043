"""Exceptions raised by picorun.

Lambda reports ``type(exc).__name__`` as the error type, and Step Functions
``Catch`` blocks match on it, so the class names here are part of the public
contract: ``HttpError``, ``Http404Error``, ``Http429Error``, ``Http503Error``,
``ApiTimeoutError``, ``ApiConnectionError``, ``ResponseTooLargeError``,
``InvalidResultError``, ``InvalidParameterError`` and so on.

The message of an :class:`ApiError` (Lambda's ``errorMessage``) is compact
JSON that a state machine can read with ``States.StringToJson``::

    {"status": 404, "method": "GET", "path": "/pets/{id}",
     "url": "https://api.example.com/pets/7", "headers": {...}, "body": ...}

``url`` has no query string (it may carry an API key); ``headers`` holds only
the response headers that help to recover (``retry-after``, ``content-type``,
request ids, rate limits); ``body`` is the parsed JSON body or the text, cut
to ``picorun.messages.BODY_LIMIT`` characters with ``"truncated": true``.  No request
header, cookie or query value is ever put in a message, and a credential the API
echoes back is replaced by ``***`` (see picorun.redact).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class ApiError(Exception):
    """Root of every error raised while calling the upstream API."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body
        self.headers: dict[str, str] = headers if headers is not None else {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.status, self.body, self.headers))


class HttpError(ApiError):
    """The API answered with an HTTP status code of 400 or more."""


class ApiConnectionError(ApiError):
    """The API could not be reached or the connection broke."""


class ApiTimeoutError(ApiConnectionError):
    """The API did not answer within the time left to the function."""


class ResponseTooLargeError(ApiError):
    """The result would not fit the configured ``max_response_bytes``."""


class InvalidResultError(ApiError):
    """The result cannot be returned as JSON (NaN or Infinity in it, too deep).

    Lambda would otherwise write the invalid JSON ``NaN`` that Step Functions
    and API Gateway cannot read.
    """


class MissingParameterError(ValueError):
    """A required parameter or request body is absent from the event."""

    def __init__(self, name: str, location: str) -> None:
        super().__init__(f"missing required {location} parameter: {name}")
        self.name = name
        self.location = location

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.location))


class InvalidParameterError(ValueError):
    """A value cannot be sent (an empty path parameter, a line break in a header...)."""


class HookImportError(ImportError):
    """A pre- or postprocessor reference could not be resolved."""


class Http400Error(HttpError):
    """400 Bad Request."""


class Http401Error(HttpError):
    """401 Unauthorized."""


class Http402Error(HttpError):
    """402 Payment Required."""


class Http403Error(HttpError):
    """403 Forbidden."""


class Http404Error(HttpError):
    """404 Not Found."""


class Http405Error(HttpError):
    """405 Method Not Allowed."""


class Http406Error(HttpError):
    """406 Not Acceptable."""


class Http407Error(HttpError):
    """407 Proxy Authentication Required."""


class Http408Error(HttpError):
    """408 Request Timeout."""


class Http409Error(HttpError):
    """409 Conflict."""


class Http410Error(HttpError):
    """410 Gone."""


class Http411Error(HttpError):
    """411 Length Required."""


class Http412Error(HttpError):
    """412 Precondition Failed."""


class Http413Error(HttpError):
    """413 Content Too Large."""


class Http414Error(HttpError):
    """414 URI Too Long."""


class Http415Error(HttpError):
    """415 Unsupported Media Type."""


class Http416Error(HttpError):
    """416 Range Not Satisfiable."""


class Http417Error(HttpError):
    """417 Expectation Failed."""


class Http418Error(HttpError):
    """418 I'm a Teapot."""


class Http421Error(HttpError):
    """421 Misdirected Request."""


class Http422Error(HttpError):
    """422 Unprocessable Content."""


class Http423Error(HttpError):
    """423 Locked."""


class Http424Error(HttpError):
    """424 Failed Dependency."""


class Http425Error(HttpError):
    """425 Too Early."""


class Http426Error(HttpError):
    """426 Upgrade Required."""


class Http428Error(HttpError):
    """428 Precondition Required."""


class Http429Error(HttpError):
    """429 Too Many Requests."""


class Http431Error(HttpError):
    """431 Request Header Fields Too Large."""


class Http451Error(HttpError):
    """451 Unavailable For Legal Reasons."""


class Http500Error(HttpError):
    """500 Internal Server Error."""


class Http501Error(HttpError):
    """501 Not Implemented."""


class Http502Error(HttpError):
    """502 Bad Gateway."""


class Http503Error(HttpError):
    """503 Service Unavailable."""


class Http504Error(HttpError):
    """504 Gateway Timeout."""


class Http505Error(HttpError):
    """505 HTTP Version Not Supported."""


class Http506Error(HttpError):
    """506 Variant Also Negotiates."""


class Http507Error(HttpError):
    """507 Insufficient Storage."""


class Http508Error(HttpError):
    """508 Loop Detected."""


class Http510Error(HttpError):
    """510 Not Extended."""


class Http511Error(HttpError):
    """511 Network Authentication Required."""


STATUS_ERRORS: dict[int, type[HttpError]] = {
    int(cls.__name__[4:7]): cls
    for cls in HttpError.__subclasses__()
    if cls.__name__.startswith("Http") and cls.__name__[4:7].isdigit()
}


def error_class_for(status: int) -> type[HttpError]:
    """Return the exception class raised for an HTTP ``status`` of 400 or more.

    Standard codes get their own ``Http{code}Error``; anything else maps to
    :class:`HttpError`.
    """
    return STATUS_ERRORS.get(int(status), HttpError)
