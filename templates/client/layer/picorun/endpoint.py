"""The Endpoint a generated handler declares, and what its hooks receive."""

from picorun.errors import error_class_for

LOCATIONS = ("path", "query", "header", "cookie")
DEFAULT_TIMEOUT = 30.0
TIMEOUT_MARGIN = 1.0
MIN_TIMEOUT = 1.0


class Parameter:
    """One OpenAPI parameter: where it goes and how it is serialised.

    ``style`` defaults to ``simple`` for path and header parameters and to
    ``form`` for query and cookie parameters; ``explode`` defaults to True
    for ``form`` and False otherwise.
    """

    __slots__ = ("allow_reserved", "explode", "location", "name", "required", "style")

    def __init__(
        self,
        name,
        location,
        required=False,
        style=None,
        explode=None,
        allow_reserved=False,
    ):
        if location not in LOCATIONS:
            raise ValueError(f"invalid parameter location {location!r}")
        if style is None:
            style = "simple" if location in ("path", "header") else "form"
        if explode is None:
            explode = style == "form"
        self.name = name
        self.location = location
        self.required = bool(required)
        self.style = style
        self.explode = bool(explode)
        self.allow_reserved = bool(allow_reserved)

    def _key(self):
        return tuple(getattr(self, slot) for slot in self.__slots__)

    def __eq__(self, other):
        if not isinstance(other, Parameter):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return (
            f"Parameter({self.name!r}, {self.location!r}, required={self.required}, "
            f"style={self.style!r}, explode={self.explode}, "
            f"allow_reserved={self.allow_reserved})"
        )


class RequestArgs:
    """The request before serialisation; hooks may change any attribute.

    ``path``, ``query``, ``headers`` and ``cookies`` are fresh dicts (copies
    of the event's), so hooks can mutate them freely.  ``timeout`` is the
    socket timeout in seconds.
    """

    def __init__(
        self,
        endpoint,
        method,
        path=None,
        query=None,
        payload=None,
        headers=None,
        cookies=None,
        server_url=None,
        timeout=DEFAULT_TIMEOUT,
    ):
        self.endpoint = endpoint
        self.method = method
        self.path = dict(path or {})
        self.query = dict(query or {})
        self.payload = payload
        self.headers = dict(headers or {})
        self.cookies = dict(cookies or {})
        self.server_url = server_url if server_url is not None else endpoint.server_url
        self.timeout = timeout

    @classmethod
    def from_event(cls, endpoint, event, timeout=DEFAULT_TIMEOUT):
        return cls(
            endpoint,
            endpoint.method,
            path=event.get("path"),
            query=event.get("query"),
            payload=event.get("payload"),
            headers=event.get("headers"),
            cookies=event.get("cookies"),
            server_url=endpoint.server_url,
            timeout=timeout,
        )

    def __repr__(self):
        # Values may be secrets: show names only.
        return (
            f"RequestArgs({self.method} {self.endpoint.path}, "
            f"path={sorted(self.path)}, query={sorted(self.query)}, "
            f"headers={sorted(self.headers)}, cookies={sorted(self.cookies)})"
        )


def remaining_timeout(context):
    """Seconds the request may take, from the Lambda context.

    The remaining time minus a 1 s margin, at least 1 s; 30 s without a
    usable context.
    """
    get_remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(get_remaining):
        return DEFAULT_TIMEOUT
    try:
        seconds = float(get_remaining()) / 1000.0
    except (TypeError, ValueError):
        return DEFAULT_TIMEOUT
    return max(seconds - TIMEOUT_MARGIN, MIN_TIMEOUT)


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
        function_name,
        method,
        path,
        server_url,
        parameters=(),
        body_content_type=None,
        body_required=False,
        preprocessor=None,
        postprocessor=None,
        security=None,
    ):
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

    def __repr__(self):
        return f"Endpoint({self.function_name!r}, {self.method} {self.path})"

    def _auth(self):
        from picorun import hooks

        if self.security is not None and not self.security:
            return None
        return hooks.auth_module()

    def invoke(self, event, context=None):
        """Call the API for ``event``; return the result or raise ApiError."""
        from picorun import encoding, hooks, observability, transport

        if event is None:
            event = {}
        elif not isinstance(event, dict):
            raise TypeError(f"event must be an object, not {type(event).__name__}")
        observer = observability.get(self.function_name)
        auth = self._auth()
        auth_pre = getattr(auth, "preprocessor", None)
        auth_ssl = getattr(auth, "ssl_context", None)
        invalidate = getattr(auth, "invalidate", None)
        pre = hooks.resolve(self.preprocessor)
        post = hooks.resolve(self.postprocessor)

        with observer.span(f"## {self.function_name}"):
            for attempt in (1, 2):
                args = RequestArgs.from_event(self, event, remaining_timeout(context))
                if callable(auth_pre):
                    args = hooks.apply(auth_pre, args)
                if pre is not None:
                    args = hooks.apply(pre, args)
                url, headers, body = encoding.build_request(args)
                ssl_context = auth_ssl(args) if callable(auth_ssl) else None
                label = f"{args.method} {self.path}"
                try:
                    status, raw_headers, data = transport.send(
                        args.method,
                        url,
                        headers,
                        body,
                        args.timeout,
                        ssl_context,
                        label,
                    )
                except Exception as exc:
                    observer.failure(label, type(exc).__name__)
                    raise
                observer.response(label, status)
                if status == 401 and attempt == 1 and callable(invalidate):
                    invalidate()
                    continue
                break
            result = transport.to_result(status, raw_headers, data)
            if status >= 400:
                raise error_class_for(status)(
                    f"{label} returned {status}",
                    status,
                    result["body"],
                    result["headers"],
                )
        if post is not None:
            return post(result, args)
        return result
