"""The request loop behind ``Endpoint.invoke``.

One invocation: build the request (auth hook, preprocessor), send it,
retry what may be retried within the deadline, refresh credentials once on
a 401, follow pages when asked, check the result's size, then run the
postprocessor.  Imported lazily on the first invoke.
"""

from __future__ import annotations

import os
import time
from urllib.parse import urljoin

from picorun import (
    build,
    hooks,
    observability,
    pagination,
    redact,
    refresh,
    response,
    retry,
    transport,
)
from picorun.errors import (
    ApiConnectionError,
    ApiTimeoutError,
    InvalidParameterError,
    InvalidResultError,
    ResponseTooLargeError,
)
from picorun.messages import http_error, request_error
from picorun.request import RequestArgs, remaining_timeout

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from picorun.endpoint import Endpoint
    from picorun.errors import ApiError
    from picorun.observability import Observer

#: Step Functions passes at most 256 KiB between states; the Lambda task's
#: result envelope (status, executed version, SDK metadata) takes the rest.
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 - 4096
#: What may be read for a postprocessor, which may store a big answer elsewhere
#: (S3) and return less: the bound is max_response_bytes or this, the larger.
POSTPROCESSOR_READ_BYTES = 16 * 1024 * 1024
NON_FINITE = "holds NaN or Infinity, which JSON cannot carry"


class Call:
    """Everything one invocation needs, resolved once."""

    def __init__(self, endpoint: Endpoint, event: dict[str, Any], context: Any) -> None:
        self.endpoint = endpoint
        self.event = event
        self.start = time.monotonic()
        self.deadline = self.start + remaining_timeout(context)
        self.policy = retry.for_event(event)
        self.observer: Observer = observability.get(endpoint.function_name)
        auth = endpoint._auth()
        self.auth_pre: Callable[..., Any] | None = getattr(auth, "preprocessor", None)
        self.auth_ssl: Callable[..., Any] | None = getattr(auth, "ssl_context", None)
        self.pre = hooks.resolve(endpoint.preprocessor)
        # Statuses that drop cached credentials (auth hooks, a marked preprocessor).
        self.refreshers = refresh.hooks_for(auth, self.pre)
        self.post = hooks.resolve(endpoint.postprocessor)
        self.args: RequestArgs | None = None
        self.url = ""
        self.max_bytes = self.limit()
        # Decoded response bytes read at most (0: no bound); see body.read_body.
        self.read_bytes = self.max_bytes
        if self.max_bytes and self.post is not None:
            self.read_bytes = max(self.max_bytes, POSTPROCESSOR_READ_BYTES)

    def prepare(
        self, query: Mapping[str, Any] | None = None
    ) -> tuple[str, dict[str, str], bytes | None]:
        """Run the hooks and serialise; ``query`` adds query values (a cursor)."""
        left = max(self.deadline - time.monotonic(), 0.0)
        args = build.checked(RequestArgs.from_event, self.endpoint, self.event, left)
        if query:
            args.query.update(query)
        if callable(self.auth_pre):
            args = hooks.apply(self.auth_pre, args)
        if self.pre is not None:
            args = hooks.apply(self.pre, args)
        self.args = args
        url, headers, body = build.checked(build.build_request, args)
        redact.remember_request(headers, args.query, args.cookies)
        return url, headers, body

    def fetch(
        self, query: Mapping[str, Any] | None = None, next_url: str | None = None
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """One response, retried as the policy allows; error statuses raise."""
        url, headers, body = self.prepare(query)
        args = self.args
        assert args is not None
        if next_url is not None:
            url, body = next_url, None
        self.url = url
        method = args.method
        path = self.endpoint.path
        label = f"{method} {path}"
        deadline = min(self.deadline, time.monotonic() + float(args.timeout))
        ssl_context = self.auth_ssl(args) if callable(self.auth_ssl) else None
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            try:
                left = deadline - time.monotonic()
                status, raw, data = transport.send(
                    method, url, headers, body, left, ssl_context, path, self.read_bytes
                )
            except ApiConnectionError as exc:
                self.observer.failure(label, type(exc).__name__)
                wait = self.policy.delay(attempt, method, None, None)
                if wait is None or time.monotonic() + wait >= deadline:
                    raise
                time.sleep(wait)
                continue
            self.observer.response(label, status)
            if status < 400:
                return status, raw, data
            if not refreshed and refresh.refresh(status, self.refreshers):
                # Credentials were refused: fetch new ones and try once more.
                refreshed = True
                attempt -= 1
                url2, headers, body = self.prepare(query)
                url = next_url or url2
                if next_url is not None:
                    body = None
                continue
            merged = response.merge_headers(raw)
            wait = self.policy.delay(attempt, method, status, merged)
            if wait is None or time.monotonic() + wait >= deadline:
                result = response.to_result(status, raw, data)
                raise http_error(
                    status, method, path, url, result["headers"], result["body"]
                )
            time.sleep(wait)

    def run(self) -> Any:
        with self.observer.span(f"## {self.endpoint.function_name}"):
            paging = pagination.for_event(self.event)
            if paging is None:
                status, raw, data = self.fetch()
                result = self.result(status, raw, data)
                size_hint = len(data)
            else:
                result, size_hint = self.paginate(paging)
        if self.post is None:
            self.guard(result, size_hint, True)
            return result
        post = self.post(result, self.args)
        self.guard(post, 0, False)
        return post

    def result(
        self, status: int, raw: list[tuple[str, str]], data: bytes
    ) -> dict[str, Any]:
        """The result for one response; NaN or Infinity in JSON is refused.

        A postprocessor still gets them (it may replace them).
        """
        try:
            return response.to_result(status, raw, data, strict=self.post is None)
        except response.NonFinite:
            raise self.not_json(status, f"the response body {NON_FINITE}") from None

    def not_json(self, status: Any, detail: str) -> InvalidResultError:
        method = self.args.method if self.args is not None else self.endpoint.method
        error = request_error(
            InvalidResultError,
            method,
            self.endpoint.path,
            self.url,
            detail,
            status=status,
        )
        assert isinstance(error, InvalidResultError)
        return error

    def paginate(self, paging: pagination.Pagination) -> tuple[dict[str, Any], int]:
        items: list[Any] = []
        pages = 0
        size = 0
        result: dict[str, Any] = {}
        query: dict[str, Any] | None = None
        next_url: str | None = None
        stopped = None
        while True:
            if pages and time.monotonic() >= self.deadline:
                stopped = "deadline"
                break
            try:
                status, raw, data = self.fetch(query, next_url)
            except ApiTimeoutError:
                if not pages:
                    raise
                stopped = "deadline"
                break
            result = self.result(status, raw, data)
            pages += 1
            size += len(data)
            if self.read_bytes and size > self.read_bytes:
                raise self.too_large(status, size, "pages", self.read_bytes)
            items.extend(paging.items(result["body"]))
            if paging.uses_cursor:
                cursor = paging.cursor(result["body"])
                more = cursor is not None
                query = {str(paging.cursor_param): cursor}
            else:
                link = pagination.next_link(result["headers"].get("link"))
                target = urljoin(self.url, link) if link else None
                same = target and transport.origin_of(target) == transport.origin_of(
                    self.url
                )
                more = bool(same)
                next_url = target if same else None
                if target and not same:
                    # The credentials must not go to another origin: stop, and say so.
                    stopped = "cross_origin"
            if not more:
                break
            if pages >= paging.max_pages:
                stopped = "max_pages"
                break
        result["body"] = items
        result["pages"] = pages
        result["complete"] = stopped is None
        if stopped is not None:
            result["stopped"] = stopped
        result.pop("isBase64Encoded", None)
        return result, size

    def limit(self) -> int:
        value = self.event.get("max_response_bytes")
        if value is None:
            text = os.environ.get("PICORUN_MAX_RESPONSE_BYTES")
            if not text:
                return DEFAULT_MAX_RESPONSE_BYTES
            try:
                value = int(text)
            except ValueError:
                raise InvalidParameterError(
                    "invalid PICORUN_MAX_RESPONSE_BYTES"
                ) from None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidParameterError(
                '"max_response_bytes" must be a whole number >= 0'
            )
        return value

    def guard(self, result: Any, raw_size: int, estimate: bool) -> None:
        """Raise ResponseTooLargeError when ``result`` is over the limit (0: no limit).

        A postprocessor's result (``estimate`` False) is also refused with
        InvalidResultError when it holds NaN or Infinity.
        """
        limit = self.max_bytes
        # JSON escapes a byte as at most 6 ("\\u00e9"); headers rarely take 4 KiB.
        if estimate and (not limit or raw_size * 6 + 4096 <= limit):
            return
        import json

        status = result.get("statusCode") if isinstance(result, dict) else None
        try:
            text = json.dumps(result, default=str, allow_nan=False)
        except ValueError as exc:
            # NaN/Infinity ("Out of range float values...") or a circular reference.
            detail = f"the postprocessor's result is not JSON: {exc}"
            raise self.not_json(status, detail) from None
        except RecursionError:
            detail = "the postprocessor's result is nested too deeply for JSON"
            raise self.not_json(status, detail) from None
        size = len(text.encode("utf-8"))
        if limit and size > limit:
            raise self.too_large(status, size, "result")

    def too_large(
        self, status: Any, size: int, what: str, limit: int | None = None
    ) -> ApiError:
        limit = limit or self.max_bytes
        method = self.args.method if self.args is not None else self.endpoint.method
        detail = f"{what} of {size} bytes is over max_response_bytes ({limit})"
        return request_error(
            ResponseTooLargeError,
            method,
            self.endpoint.path,
            self.url,
            detail,
            status=status,
            size=size,
            max_response_bytes=limit,
        )


def invoke(endpoint: Endpoint, event: Any, context: Any = None) -> Any:
    """Call the API for ``event``; return the result or raise ApiError."""
    if event is None:
        event = {}
    elif not isinstance(event, dict):
        raise InvalidParameterError(
            f"the event must be an object, not {type(event).__name__}"
        )
    return Call(endpoint, event, context).run()
