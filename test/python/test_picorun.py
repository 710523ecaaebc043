"""Behaviour tests for the picorun runtime against a real local HTTP server."""

import base64
import http
import json
import os
import socket
import subprocess
import sys
import types
import urllib.parse

import picorun
import pytest
from picorun import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    Endpoint,
    HookImportError,
    Http404Error,
    Http418Error,
    HttpError,
    MissingParameterError,
    Parameter,
    RequestArgs,
    error_class_for,
)

SECRET = "s3cr3t-value"
LAYER = os.path.dirname(os.path.dirname(os.path.abspath(picorun.__file__)))


class Reply:
    """A canned answer for the fake API."""

    def __init__(self, status=200, body=b"", headers=None):
        self.status = status
        self.body = body
        self.headers = headers or {}


def json_reply(data, status=200, headers=None):
    return Reply(
        status,
        json.dumps(data).encode(),
        {"Content-Type": "application/json", **(headers or {})},
    )


def endpoint(api, path="/things", method="GET", parameters=(), **kwargs):
    return Endpoint(
        function_name="ns_test",
        method=method,
        path=path,
        server_url=api.url + "/v1/",
        parameters=parameters,
        **kwargs,
    )


def query_of(request):
    return urllib.parse.urlsplit(request["path"]).query


def path_of(request):
    return urllib.parse.urlsplit(request["path"]).path


class FakeContext:
    def __init__(self, millis):
        self.millis = millis

    def get_remaining_time_in_millis(self):
        return self.millis


@pytest.fixture
def hook_module(monkeypatch):
    """An importable module ``fake_hooks`` for dotted hook references."""
    module = types.ModuleType("fake_hooks")
    monkeypatch.setitem(sys.modules, "fake_hooks", module)
    return module


# ----------------------------------------------------------------- path


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a/b", "a%2Fb"),
        ("with space", "with%20space"),
        ("ünï/cødé", "%C3%BCn%C3%AF%2Fc%C3%B8d%C3%A9"),
        ("q?x=1#f", "q%3Fx%3D1%23f"),
        (42, "42"),
        (True, "true"),
    ],
)
def test_path_values_are_fully_percent_encoded(api, value, expected):
    ep = endpoint(
        api, "/orders/{orderId}/items", parameters=(Parameter("orderId", "path"),)
    )
    ep.invoke({"path": {"orderId": value}}, None)
    assert api.last["path"] == f"/v1/orders/{expected}/items"


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("simple", False, [3, 4, 5], "3,4,5"),
        ("simple", False, {"role": "admin", "n": 1}, "role,admin,n,1"),
        ("simple", True, {"role": "admin", "n": 1}, "role=admin,n=1"),
        ("label", False, 5, ".5"),
        ("label", False, [3, 4], ".3,4"),
        ("label", True, [3, 4], ".3.4"),
        ("label", True, {"a": 1, "b": 2}, ".a=1.b=2"),
        ("matrix", False, 5, ";id=5"),
        ("matrix", False, [3, 4], ";id=3,4"),
        ("matrix", True, [3, 4], ";id=3;id=4"),
        ("matrix", True, {"a": 1, "b": 2}, ";a=1;b=2"),
        ("simple", False, ["a/b", "c d"], "a%2Fb,c%20d"),
    ],
)
def test_path_styles(api, style, explode, value, expected):
    ep = endpoint(
        api,
        "/x/{id}",
        parameters=(Parameter("id", "path", True, style=style, explode=explode),),
    )
    ep.invoke({"path": {"id": value}}, None)
    assert api.last["path"] == f"/v1/x/{expected}"


def test_missing_required_path_parameter_raises_before_network(api):
    ep = endpoint(api, "/orders/{orderId}", parameters=(Parameter("orderId", "path"),))
    with pytest.raises(MissingParameterError, match="orderId") as info:
        ep.invoke({"path": {}}, None)
    assert isinstance(info.value, ValueError)
    assert api.requests == []


def test_undeclared_path_placeholder_still_filled(api):
    endpoint(api, "/a/{b}").invoke({"path": {"b": "x y"}}, None)
    assert path_of(api.last) == "/v1/a/x%20y"


# ---------------------------------------------------------------- query


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        (Parameter("id", "query"), 5, "id=5"),
        (Parameter("id", "query"), [3, 4, 5], "id=3&id=4&id=5"),
        (Parameter("id", "query", explode=False), [3, 4, 5], "id=3,4,5"),
        (Parameter("id", "query"), {"role": "admin", "n": 1}, "role=admin&n=1"),
        (
            Parameter("id", "query", explode=False),
            {"role": "admin", "n": 1},
            "id=role,admin,n,1",
        ),
        (Parameter("id", "query", style="spaceDelimited"), [3, 4], "id=3%204"),
        (Parameter("id", "query", style="pipeDelimited"), [3, 4], "id=3%7C4"),
        (
            Parameter("id", "query", style="pipeDelimited", explode=True),
            [3, 4],
            "id=3&id=4",
        ),
        (
            Parameter("id", "query", style="deepObject", explode=True),
            {"role": "admin", "name": {"first": "Al"}},
            "id[role]=admin&id[name][first]=Al",
        ),
        (Parameter("id", "query"), True, "id=true"),
        (Parameter("id", "query"), "a&b=c d/é", "id=a%26b%3Dc%20d%2F%C3%A9"),
        (Parameter("id", "query", allow_reserved=True), "a/b:c?d&e", "id=a/b:c?d%26e"),
        (Parameter("id", "query"), [], ""),
        (Parameter("id", "query"), None, ""),
    ],
)
def test_query_styles(api, param, value, expected):
    endpoint(api, parameters=(param,)).invoke({"query": {"id": value}}, None)
    assert query_of(api.last) == expected


def test_query_decodes_back_to_original_values(api):
    ep = endpoint(api, parameters=(Parameter("tags", "query"),))
    ep.invoke({"query": {"tags": ["a b", "c&d", "é"], "extra": "x=y"}}, None)
    parsed = urllib.parse.parse_qs(query_of(api.last))
    assert parsed == {"tags": ["a b", "c&d", "é"], "extra": ["x=y"]}


def test_undeclared_query_keys_are_sent_and_none_omitted(api):
    ep = endpoint(api, parameters=(Parameter("a", "query"),))
    ep.invoke({"query": {"a": 1, "b": [1, 2], "c": None}}, None)
    assert query_of(api.last) == "a=1&b=1&b=2"


def test_missing_required_query_parameter(api):
    ep = endpoint(api, parameters=(Parameter("page", "query", required=True),))
    with pytest.raises(MissingParameterError, match="page"):
        ep.invoke({}, None)
    assert api.requests == []


# -------------------------------------------------------- headers, cookies


def test_header_parameters_match_case_insensitively(api):
    ep = endpoint(
        api,
        parameters=(
            Parameter("X-Trace", "header"),
            Parameter("X-List", "header"),
            Parameter("X-Obj", "header", explode=True),
        ),
    )
    ep.invoke(
        {
            "headers": {
                "x-trace": "abc",
                "X-LIST": [1, 2, True],
                "x-obj": {"a": 1, "b": "c"},
                "X-Other": "kept as is",
            }
        },
        None,
    )
    headers = api.last["headers"]
    assert headers["X-Trace"] == "abc"
    assert headers["X-List"] == "1,2,true"
    assert headers["X-Obj"] == "a=1,b=c"
    assert headers["X-Other"] == "kept as is"
    assert headers["User-Agent"].startswith("picorun/")


def test_missing_required_header(api):
    ep = endpoint(api, parameters=(Parameter("X-Key", "header", required=True),))
    with pytest.raises(MissingParameterError, match="X-Key"):
        ep.invoke({"headers": {}}, None)


def test_header_with_line_break_is_rejected_without_echoing_it(api):
    with pytest.raises(ValueError) as info:
        endpoint(api).invoke({"headers": {"X-Bad": SECRET + "\r\nX-Injected: 1"}}, None)
    assert SECRET not in str(info.value)
    assert api.requests == []


def test_cookies_sent_as_one_header(api):
    ep = endpoint(
        api,
        parameters=(
            Parameter("session", "cookie", required=True),
            Parameter("ids", "cookie", explode=False),
        ),
    )
    ep.invoke(
        {
            "cookies": {"session": "ab/c+d=", "ids": [1, 2], "extra": "x y"},
            "headers": {"Cookie": "pre=1"},
        },
        None,
    )
    assert (
        api.last["headers"]["Cookie"] == "pre=1; session=ab/c+d=; ids=1,2; extra=x%20y"
    )
    assert len(api.last["headers"].get_all("Cookie")) == 1


def test_missing_required_cookie(api):
    ep = endpoint(api, parameters=(Parameter("session", "cookie", required=True),))
    with pytest.raises(MissingParameterError, match="session"):
        ep.invoke({}, None)


# ----------------------------------------------------------------- body


def test_json_body(api):
    ep = endpoint(api, method="POST", body_content_type="application/json")
    ep.invoke({"payload": {"name": "é", "n": [1, 2]}}, None)
    request = api.last
    assert request["method"] == "POST"
    assert request["headers"]["Content-Type"] == "application/json"
    assert json.loads(request["body"]) == {"name": "é", "n": [1, 2]}


def test_vendor_json_body_and_caller_content_type_kept(api):
    ep = endpoint(api, method="PUT", body_content_type="application/vnd.x+json")
    ep.invoke(
        {"payload": [1], "headers": {"content-type": "application/merge+json"}}, None
    )
    assert api.last["headers"]["Content-Type"] == "application/merge+json"
    assert len(api.last["headers"].get_all("Content-Type")) == 1
    assert json.loads(api.last["body"]) == [1]


def test_form_body(api):
    ep = endpoint(
        api, method="POST", body_content_type="application/x-www-form-urlencoded"
    )
    ep.invoke({"payload": {"a": "x y", "b": [1, 2], "c": True, "d": None}}, None)
    assert api.last["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qs(api.last["body"].decode()) == {
        "a": ["x y"],
        "b": ["1", "2"],
        "c": ["true"],
    }


def test_text_body(api):
    ep = endpoint(api, method="POST", body_content_type="text/plain")
    ep.invoke({"payload": "héllo"}, None)
    assert api.last["body"] == "héllo".encode()
    assert api.last["headers"]["Content-Type"] == "text/plain"


def test_bytes_body_sent_raw(api):
    ep = endpoint(api, method="POST", body_content_type="application/octet-stream")
    ep.invoke({"payload": b"\x00\xff"}, None)
    assert api.last["body"] == b"\x00\xff"


def test_multipart_body(api):
    ep = endpoint(api, method="POST", body_content_type="multipart/form-data")
    ep.invoke({"payload": {"field": "v", "file": b"\x01\x02"}}, None)
    content_type = api.last["headers"]["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    body = api.last["body"]
    assert b'name="field"\r\n\r\nv\r\n' in body
    assert b'filename="file"' in body and b"\x01\x02" in body


def test_no_payload_means_no_body(api):
    ep = endpoint(api, method="POST", body_content_type="application/json")
    ep.invoke({}, None)
    assert api.last["body"] == b""
    assert "Content-Type" not in api.last["headers"]


def test_missing_required_body(api):
    ep = endpoint(
        api, method="POST", body_content_type="application/json", body_required=True
    )
    with pytest.raises(MissingParameterError):
        ep.invoke({"path": {}}, None)
    assert api.requests == []


# ------------------------------------------------------------- responses


def test_json_response_and_lower_cased_headers(api):
    api.reply(json_reply({"id": 7}, headers={"X-Rate": "10"}))
    result = endpoint(api).invoke(None, None)
    assert result == {
        "statusCode": 200,
        "headers": result["headers"],
        "body": {"id": 7},
    }
    assert result["headers"]["x-rate"] == "10"
    assert result["headers"]["content-type"] == "application/json"


def test_problem_json_response(api):
    api.reply(Reply(201, b'{"a": 1}', {"Content-Type": "application/problem+json"}))
    assert endpoint(api).invoke({}, None)["body"] == {"a": 1}


def test_text_response(api):
    api.reply(Reply(200, "hé".encode(), {"Content-Type": "text/plain; charset=utf-8"}))
    result = endpoint(api).invoke({}, None)
    assert result["body"] == "hé"
    assert "isBase64Encoded" not in result


def test_xml_response_is_text(api):
    api.reply(Reply(200, b"<a/>", {"Content-Type": "application/xml"}))
    assert endpoint(api).invoke({}, None)["body"] == "<a/>"


def test_invalid_json_falls_back_to_text(api):
    api.reply(Reply(200, b"not json", {"Content-Type": "application/json"}))
    assert endpoint(api).invoke({}, None)["body"] == "not json"


def test_binary_response_is_base64(api):
    data = bytes(range(256))
    api.reply(Reply(200, data, {"Content-Type": "image/png"}))
    result = endpoint(api).invoke({}, None)
    assert result["isBase64Encoded"] is True
    assert base64.b64decode(result["body"]) == data


def test_empty_response_body_is_none(api):
    api.reply(Reply(204))
    result = endpoint(api, method="DELETE").invoke({}, None)
    assert result["statusCode"] == 204
    assert result["body"] is None


def test_repeated_response_headers_are_joined(api):
    api.reply(Reply(200, b"", {"Set-Cookie": ["a=1", "b=2"]}))
    assert endpoint(api).invoke({}, None)["headers"]["set-cookie"] == "a=1, b=2"


def test_same_origin_redirect_followed(api):
    api.reply(Reply(302, b"", {"Location": "/v1/elsewhere"}))
    result = endpoint(api).invoke({}, None)
    assert result["statusCode"] == 200
    assert [path_of(r) for r in api.requests] == ["/v1/things", "/v1/elsewhere"]


def test_cross_origin_redirect_not_followed(api, api_factory):
    other = api_factory()
    api.reply(Reply(302, b"", {"Location": other.url + "/steal"}))
    result = endpoint(api).invoke({"headers": {"Authorization": SECRET}}, None)
    assert result["statusCode"] == 302
    assert other.requests == []


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("status", "cls"),
    [(404, Http404Error), (418, Http418Error), (599, HttpError), (500, None)],
)
def test_error_status_raises_named_exception(api, status, cls):
    cls = cls or picorun.Http500Error
    api.reply(json_reply({"error": "nope"}, status=status, headers={"X-Req": "r1"}))
    ep = endpoint(api, "/orders/{orderId}", parameters=(Parameter("orderId", "path"),))
    with pytest.raises(HttpError) as info:
        ep.invoke({"path": {"orderId": "1"}, "retry": False}, None)
    error = info.value
    assert type(error) is cls
    assert type(error).__name__ == cls.__name__
    assert isinstance(error, ApiError)
    assert error.status == status
    assert error.body == {"error": "nope"}
    assert error.headers["x-req"] == "r1"
    assert json.loads(str(error)) == {
        "status": status,
        "method": "GET",
        "path": "/orders/{orderId}",
        "url": f"{api.url}/v1/orders/1",
        "headers": {"content-type": "application/json"},
        "body": {"error": "nope"},
    }


def test_error_message_has_no_secrets(api):
    api.reply(
        Reply(403, b"denied", {"Content-Type": "text/plain", "Set-Cookie": SECRET})
    )
    ep = endpoint(
        api, parameters=(Parameter("key", "query"), Parameter("X-Key", "header"))
    )
    with pytest.raises(picorun.Http403Error) as info:
        ep.invoke(
            {
                "query": {"key": SECRET + "q"},
                "headers": {"X-Key": SECRET + "h", "Authorization": SECRET + "a"},
            },
            None,
        )
    message = str(info.value)
    assert SECRET not in message
    assert "?" not in message
    assert json.loads(message)["body"] == "denied"
    assert SECRET not in repr(info.value.args)


def test_error_classes_match_http_status():
    expected = {int(s) for s in http.HTTPStatus if 400 <= s <= 451 or 500 <= s <= 511}
    assert set(picorun.STATUS_ERRORS) == expected
    for code in expected:
        cls = error_class_for(code)
        assert cls.__name__ == f"Http{code}Error"
        assert getattr(picorun, cls.__name__) is cls
        assert issubclass(cls, HttpError)
        assert cls.__name__ in picorun.__all__
    assert error_class_for(599) is HttpError
    assert error_class_for(499) is HttpError


def test_errors_survive_pickling():
    import pickle

    error = Http404Error("GET /x returned 404", 404, {"a": 1}, {"h": "v"})
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is Http404Error
    assert (copy.status, copy.body, copy.headers) == (404, {"a": 1}, {"h": "v"})


def test_connection_refused_raises_api_connection_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    ep = Endpoint("ns_x", "GET", "/x", f"http://127.0.0.1:{port}")
    with pytest.raises(ApiConnectionError) as info:
        ep.invoke({"query": {"token": SECRET}}, None)
    assert not isinstance(info.value, ApiTimeoutError)
    assert SECRET not in str(info.value)
    message = json.loads(str(info.value))
    assert message["method"] == "GET" and message["path"] == "/x"
    assert message["error"].startswith("ConnectionRefusedError")


def test_timeout_from_context_raises_api_timeout_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)  # accepts the connection, never answers
        port = sock.getsockname()[1]
        ep = Endpoint("ns_x", "GET", "/slow", f"http://127.0.0.1:{port}")
        with pytest.raises(ApiTimeoutError, match="timed out after 1 s"):
            ep.invoke({}, FakeContext(1500))


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        (None, 30.0),
        (object(), 30.0),
        (FakeContext(10_000), 9.0),
        (FakeContext(300), 1.0),
    ],
)
def test_timeout_derived_from_context(api, hook_module, context, expected):
    seen = []
    hook_module.capture = lambda args: seen.append(args.timeout)
    endpoint(api, preprocessor="fake_hooks.capture").invoke({}, context)
    assert seen == [pytest.approx(expected, abs=0.05)]


# ----------------------------------------------------------------- hooks


def test_preprocessor_changes_header_and_postprocessor_returns_non_dict(
    api, hook_module
):
    calls = []

    def pre(args):
        assert isinstance(args, RequestArgs)
        assert args.endpoint.function_name == "ns_test"
        assert args.path == {} and args.query == {"q": "1"}
        args.headers["X-Added"] = "yes"
        args.query["q"] = "2"

    def post(result, args):
        calls.append(args.headers["X-Added"])
        return result["body"]["ok"]

    hook_module.pre = pre
    hook_module.post = post
    ep = endpoint(api, preprocessor="fake_hooks.pre", postprocessor="fake_hooks.post")
    event = {"query": {"q": "1"}}
    assert ep.invoke(event, None) is True
    assert api.last["headers"]["X-Added"] == "yes"
    assert query_of(api.last) == "q=2"
    assert calls == ["yes"]
    assert event == {"query": {"q": "1"}}  # the caller's event is untouched


def test_preprocessor_may_return_new_args(api, hook_module):
    hook_module.pre = lambda args: RequestArgs(
        args.endpoint, "POST", payload={"x": 1}, server_url=args.server_url
    )
    endpoint(api, preprocessor="fake_hooks.pre").invoke({}, None)
    assert api.last["method"] == "POST"
    assert json.loads(api.last["body"]) == {"x": 1}


def test_hook_is_imported_once(api, hook_module, monkeypatch):
    hook_module.post = lambda result, args: "first"
    ep = endpoint(api, postprocessor="fake_hooks.post")
    assert ep.invoke({}, None) == "first"
    monkeypatch.delitem(sys.modules, "fake_hooks")
    assert ep.invoke({}, None) == "first"


@pytest.mark.parametrize(
    "reference", ["no_such_module_xyz.hook", "fake_hooks.missing", "nodots"]
)
def test_bad_hook_reference(api, hook_module, reference):
    ep = endpoint(api, preprocessor=reference)
    with pytest.raises(HookImportError, match=reference):
        ep.invoke({}, None)
    assert api.requests == []


# ------------------------------------------------------------------ auth


def install_auth(monkeypatch, **attrs):
    module = types.ModuleType("auth_hooks")
    for name, value in attrs.items():
        setattr(module, name, value)
    monkeypatch.setitem(sys.modules, "auth_hooks", module)
    return module


def test_auth_preprocessor_runs_before_user_preprocessor(api, hook_module, monkeypatch):
    order = []

    def auth_pre(args):
        order.append("auth")
        args.headers["Authorization"] = "Bearer token"
        return args

    def user_pre(args):
        order.append("user")
        assert args.headers["Authorization"] == "Bearer token"

    install_auth(monkeypatch, preprocessor=auth_pre, ssl_context=lambda args: None)
    hook_module.pre = user_pre
    endpoint(api, preprocessor="fake_hooks.pre", security=("oauth",)).invoke({}, None)
    assert order == ["auth", "user"]
    assert api.last["headers"]["Authorization"] == "Bearer token"


def test_auth_401_invalidates_and_retries_once(api, monkeypatch):
    tokens = iter(["stale", "fresh", "unused"])
    current = {}

    def auth_pre(args):
        current.setdefault("token", next(tokens))
        args.headers["Authorization"] = current["token"]

    def invalidate():
        current.clear()

    install_auth(monkeypatch, preprocessor=auth_pre, invalidate=invalidate)
    api.reply(Reply(401), json_reply({"done": 1}))
    result = endpoint(api).invoke({}, None)
    assert result["body"] == {"done": 1}
    assert [r["headers"]["Authorization"] for r in api.requests] == ["stale", "fresh"]


def test_auth_second_401_raises(api, monkeypatch):
    invalidations = []
    install_auth(
        monkeypatch,
        preprocessor=lambda args: None,
        invalidate=lambda: invalidations.append(1),
    )
    api.reply(Reply(401), Reply(401))
    with pytest.raises(picorun.Http401Error):
        endpoint(api, security=("key",)).invoke({}, None)
    assert len(api.requests) == 2
    assert invalidations == [1]


def test_empty_security_skips_auth(api, monkeypatch):
    called = []
    install_auth(monkeypatch, preprocessor=called.append, invalidate=called.append)
    api.reply(Reply(401))
    with pytest.raises(picorun.Http401Error):
        endpoint(api, security=()).invoke({}, None)
    assert called == []
    assert len(api.requests) == 1
    assert "Authorization" not in api.last["headers"]


def test_auth_ssl_context_is_used(api, monkeypatch):
    import ssl

    contexts = []

    def make_context(args):
        context = ssl.create_default_context()
        contexts.append(context)
        return context

    install_auth(monkeypatch, ssl_context=make_context)
    endpoint(api).invoke({}, None)
    assert len(contexts) == 1
    assert api.last["method"] == "GET"


def test_auth_absent_is_looked_up_once(api, monkeypatch):
    ep = endpoint(api)
    ep.invoke({}, None)
    install_auth(monkeypatch, preprocessor=lambda args: pytest.fail("cached"))
    ep.invoke({}, None)
    assert len(api.requests) == 2


# --------------------------------------------------------- observability


def test_stdlib_logging_has_no_secrets(api, caplog):
    caplog.set_level("INFO", logger="picorun")
    ep = endpoint(
        api,
        "/orders/{orderId}",
        method="POST",
        parameters=(Parameter("orderId", "path"),),
        body_content_type="application/json",
    )
    ep.invoke(
        {
            "path": {"orderId": "1"},
            "query": {"q": SECRET},
            "headers": {"Authorization": SECRET},
            "payload": {"p": SECRET},
        },
        None,
    )
    assert "POST /orders/{orderId} -> 200" in caplog.text
    assert SECRET not in caplog.text


def test_powertools_logger_and_tracer_are_used(api, monkeypatch):
    events = []

    class Logger:
        def __init__(self, service):
            events.append(("logger", service))

        def info(self, msg, *args):
            events.append(("info", msg % args))

        def warning(self, msg, *args):
            events.append(("warning", msg % args))

        def debug(self, msg, *args, **kwargs):
            events.append(("debug", msg))

    class Segment:
        def __init__(self, name):
            self.name = name

        def __enter__(self):
            events.append(("enter", self.name))
            return self

        def __exit__(self, *exc):
            events.append(("exit", self.name))

    class Tracer:
        def __init__(self, service):
            self.provider = types.SimpleNamespace(in_subsegment=Segment)

    fake = types.ModuleType("aws_lambda_powertools")
    fake.Logger = Logger
    fake.Tracer = Tracer
    monkeypatch.setitem(sys.modules, "aws_lambda_powertools", fake)
    endpoint(api, "/a/{b}").invoke({"path": {"b": SECRET}}, None)
    assert events == [
        ("logger", "ns_test"),
        ("enter", "## ns_test"),
        ("info", "GET /a/{b} -> 200"),
        ("exit", "## ns_test"),
    ]


# -------------------------------------------------------------- contract


def test_generated_handler_shape(api):
    ENDPOINT = Endpoint(
        function_name="ns_get_orders_orderid",
        method="GET",
        path="/orders/{orderId}",
        server_url=api.url + "/v1",
        parameters=(
            Parameter("orderId", "path", required=True),
            Parameter("tags", "query", style="form", explode=True),
            Parameter("X-Trace", "header"),
            Parameter("session", "cookie"),
        ),
        body_content_type="application/json",
        body_required=False,
        preprocessor=None,
        postprocessor=None,
        security=None,
    )

    def handler(event, context):
        return ENDPOINT.invoke(event, context)

    result = handler(
        {
            "path": {"orderId": "o/1"},
            "query": {"tags": ["a", "b"]},
            "headers": {"x-trace": "t"},
            "cookies": {"session": "s"},
        },
        FakeContext(5000),
    )
    assert result["statusCode"] == 200
    request = api.last
    assert request["path"] == "/v1/orders/o%2F1?tags=a&tags=b"
    assert request["headers"]["X-Trace"] == "t"
    assert request["headers"]["Cookie"] == "session=s"
    assert ENDPOINT.security is None


def test_parameter_defaults():
    assert Parameter("a", "path").style == "simple"
    assert Parameter("a", "header").explode is False
    assert Parameter("a", "query").style == "form"
    assert Parameter("a", "query").explode is True
    assert Parameter("a", "cookie").explode is True
    assert Parameter("a", "query", style="deepObject").explode is False
    with pytest.raises(ValueError):
        Parameter("a", "body")


def test_import_is_cheap():
    banned = ["urllib.request", "http.client", "ssl", "base64", "dataclasses"]
    banned += ["logging", "json", "aws_lambda_powertools"]
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import picorun; "
        f"print([m for m in {banned!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", code, LAYER],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert out.stdout.strip() == "[]"
