"""Issue 28, the client runtime: bounded reads, credentials kept out of
errors, hostile events and NaN, against a loopback server that misbehaves
on purpose."""

import base64
import gzip
import json
import logging
import threading
import time
import traceback
import tracemalloc
import zlib
from urllib.parse import quote

import pytest
from misbehaving import Act
from picorun import (
    Endpoint,
    Http401Error,
    InvalidParameterError,
    InvalidResultError,
    ResponseTooLargeError,
    redact,
)

MB = 1024 * 1024


class Context:
    def __init__(self, millis):
        self.deadline = time.monotonic() + millis / 1000

    def get_remaining_time_in_millis(self):
        return int((self.deadline - time.monotonic()) * 1000)


def endpoint(server, path="/items", method="GET", **kwargs):
    return Endpoint("ns_items", method, path, server.url + "/v1", **kwargs)


@pytest.fixture(autouse=True)
def no_remembered_secrets():
    redact.forget()
    yield
    redact.forget()


def peak_memory(call):
    """(outcome, peak bytes allocated) of ``call()``; the outcome is a result or an exception."""
    tracemalloc.start()
    try:
        try:
            outcome = call()
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            outcome = exc
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bomb(size, wrap):
    """``size`` zero bytes compressed: gzip, zlib (RFC 9110 deflate) or raw deflate."""
    if wrap == "gzip":
        return gzip.compress(b"\0" * size, 9)
    wbits = zlib.MAX_WBITS if wrap == "zlib" else -zlib.MAX_WBITS
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return packer.compress(b"\0" * size) + packer.flush()


# ------------------------------------------------------------ bounded reads


@pytest.mark.parametrize(
    ("wrap", "coding", "framing"),
    [
        ("gzip", "gzip", {}),
        ("gzip", "gzip", {"chunked": True}),
        ("gzip", "x-gzip", {"length": False}),
        ("zlib", "deflate", {}),
        ("raw", "deflate", {"chunked": True}),
    ],
)
def test_compression_bomb_stops_at_max_response_bytes(server, wrap, coding, framing):
    packed = bomb(64 * MB, wrap)
    assert len(packed) < 200_000
    server.script(Act(body=packed, headers={"Content-Encoding": coding}, **framing))
    outcome, peak = peak_memory(lambda: endpoint(server).invoke({}, Context(20_000)))
    assert isinstance(outcome, ResponseTooLargeError), outcome
    message = json.loads(str(outcome))
    assert message["max_response_bytes"] == 256 * 1024 - 4096
    assert message["status"] == 200
    # The 64 MB were never inflated: memory stays near the limit.
    assert peak < 8 * MB, peak


@pytest.mark.parametrize("framing", [{"length": False}, {"chunked": True}])
def test_big_body_without_content_length_is_not_read_whole(server, framing):
    chunk = b"x" * 65536
    act = Act(stream=(chunk for _ in range(320)), **framing)  # 20 MB
    server.script(act)
    outcome, peak = peak_memory(lambda: endpoint(server).invoke({}, Context(20_000)))
    assert isinstance(outcome, ResponseTooLargeError), outcome
    assert peak < 8 * MB, peak


def test_content_length_over_the_limit_is_refused_before_reading(server):
    server.script(Act(body=b"y" * 300_000, headers={"Content-Type": "text/plain"}))
    with pytest.raises(ResponseTooLargeError) as info:
        endpoint(server).invoke({"max_response_bytes": 100_000}, Context(10_000))
    message = json.loads(str(info.value))
    assert message["size"] == 300_000
    assert message["max_response_bytes"] == 100_000
    # The connection with the unread body is not reused.
    assert endpoint(server).invoke({}, Context(10_000))["body"] == {"ok": True}
    assert server.connections == 2


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_compressed_bodies_within_the_limit_are_inflated(server, coding):
    data = json.dumps({"items": list(range(2000))}).encode()
    packed = gzip.compress(data) if coding == "gzip" else zlib.compress(data)
    headers = {"Content-Encoding": coding, "Content-Type": "application/json"}
    server.script(Act(body=packed, headers=headers, chunked=True))
    result = endpoint(server).invoke({}, Context(10_000))
    assert result["body"] == {"items": list(range(2000))}


def test_two_gzip_members_and_a_truncated_stream(server):
    joined = gzip.compress(b'{"a": ') + gzip.compress(b"1}")
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    cut = gzip.compress(b"hello world" * 100)[:-12]
    server.script(
        Act(body=joined, headers=headers),
        Act(body=cut, headers={"Content-Encoding": "gzip"}),
    )
    assert endpoint(server).invoke({}, Context(10_000))["body"] == {"a": 1}
    # Cut short: what the server sent (base64, it is not text), not an exception.
    truncated = endpoint(server).invoke({}, Context(10_000))
    assert base64.b64decode(truncated["body"]) == cut


def test_pages_together_over_the_limit_stop_fetching(server):
    base = server.url + "/v1/items"
    page = ["z" * 1000] * 40  # about 40 KB a page
    server.script(
        *[
            Act(json_body=page, headers={"Link": f'<{base}?page={n}>; rel="next"'})
            for n in range(2, 12)
        ]
    )
    with pytest.raises(ResponseTooLargeError):
        endpoint(server).invoke(
            {"paginate": {"max_pages": 10}, "max_response_bytes": 100_000},
            Context(10_000),
        )
    assert len(server.requests) == 3


def test_a_postprocessor_may_shrink_a_big_answer_but_a_bomb_still_stops(server):
    big = json.dumps({"rows": ["r" * 100] * 10_000, "total": 10_000}).encode()
    headers = {"Content-Type": "application/json"}
    server.script(
        Act(body=big, headers=headers),
        Act(body=bomb(64 * MB, "gzip"), headers={"Content-Encoding": "gzip"}),
    )

    def count(result, args):
        return {"total": result["body"]["total"]}

    ep = endpoint(server, postprocessor=count)
    assert len(big) > 256 * 1024
    assert ep.invoke({}, Context(10_000)) == {"total": 10_000}
    outcome, peak = peak_memory(lambda: ep.invoke({}, Context(20_000)))
    assert isinstance(outcome, ResponseTooLargeError), outcome
    assert json.loads(str(outcome))["max_response_bytes"] == 16 * MB
    assert peak < 48 * MB, peak


# ---------------------------------------------------- credentials in errors

TOKEN = "s3cr3t-T0ken/with+chars=="
USER, PASSWORD = "alice", "pa ss:w0rd-xyz"
API_KEY = "k3y-abcdef-123456"


def add_credentials(args):
    args.headers["Authorization"] = f"Bearer {TOKEN}"
    args.query["api_key"] = API_KEY
    args.cookies["sid"] = "cookie-value-9876"


def basic_credentials(args):
    pair = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    args.headers["Authorization"] = f"Basic {pair}"


def forms(secret):
    raw = secret.encode()
    return [
        secret,
        quote(secret, safe=""),
        base64.b64encode(raw).decode(),
        json.dumps(secret)[1:-1],
    ]


def assert_clean(error, secrets):
    texts = [str(error), json.dumps(error.body), json.dumps(error.headers)]
    for secret in secrets:
        for form in forms(secret):
            for text in texts:
                assert form not in text, (form, text)


def echo_401(request_headers, target):
    """A 401 that quotes the request back: body and Location header."""
    body = {
        "message": "invalid credentials",
        "got": request_headers.get("authorization", ""),
        "cookie": request_headers.get("cookie", ""),
        "target": target,
        "encoded": quote(TOKEN, safe=""),
        "b64": base64.b64encode(TOKEN.encode()).decode(),
    }
    return body


def test_a_401_echoing_the_bearer_token_key_and_cookie_is_redacted(server):
    ep = endpoint(server, preprocessor=add_credentials)
    # First call records what was sent; the server then echoes exactly that.
    server.script(Act(json_body={"ok": True}))
    ep.invoke({}, Context(10_000))
    seen = server.requests[-1]
    echoed = echo_401(seen.headers, seen.target)
    server.script(
        Act(
            401,
            json_body=echoed,
            headers={
                "Location": f"{server.url}/login?token={TOKEN}&api_key={API_KEY}",
                "WWW-Authenticate": f'Bearer error="{TOKEN}"',
            },
        )
    )
    with pytest.raises(Http401Error) as info:
        ep.invoke({}, Context(10_000))
    assert TOKEN in json.dumps(echoed)  # the server did echo it
    assert_clean(info.value, [TOKEN, API_KEY, "cookie-value-9876"])
    message = json.loads(str(info.value))
    assert message["body"]["got"] == "***"
    assert "***" in message["headers"]["location"]
    assert message["body"]["message"] == "invalid credentials"


def test_basic_credentials_echoed_in_any_form_are_redacted(server):
    pair = f"{USER}:{PASSWORD}"
    body = (
        f"denied {pair}; header Basic {base64.b64encode(pair.encode()).decode()}; "
        f"password {PASSWORD} / {quote(PASSWORD, safe='')}"
    )
    server.script(
        Act(401, body=body.encode(), headers={"Content-Type": "text/plain"}),
        Act(401, body=body.encode(), headers={"Content-Type": "text/plain"}),
    )
    with pytest.raises(Http401Error) as info:
        endpoint(server, preprocessor=basic_credentials).invoke({}, Context(10_000))
    assert_clean(info.value, [pair, PASSWORD])
    assert json.loads(str(info.value))["body"].startswith("denied ***")


def test_a_connection_error_naming_the_secret_is_redacted(server):
    # A redirect whose Location carries the token in a way http.client refuses.
    server.script(Act(302, headers={"Location": f"/v1/next?t={TOKEN} x"}))
    with pytest.raises(Exception) as info:
        endpoint(server, preprocessor=add_credentials).invoke(
            {"retry": False}, Context(10_000)
        )
    assert TOKEN not in str(info.value)
    # Not in a printed traceback either (chained causes included).
    assert TOKEN not in "".join(traceback.format_exception(info.value))


# ----------------------------------------------------------- hostile events


@pytest.mark.parametrize(
    "event",
    [
        {"query": ["a", "b"]},
        {"query": [["a", "b"]]},
        {"headers": "X-A: 1"},
        {"path": 7},
        {"cookies": True},
        {"headers": {"X-Name": "\ud800"}},
        {"query": {"q": "\udfff"}},
        {"payload": {"text": "\ud83d"}},
        {"headers": {"Bad Name": "1"}},
        {"headers": {"": "1"}},
        {"headers": {":authority": "x"}},
    ],
)
def test_wrong_types_and_lone_surrogates_are_invalid_parameters(server, event):
    with pytest.raises(InvalidParameterError):
        endpoint(server, "/items", "POST").invoke(event, Context(10_000))
    assert server.requests == []


def test_deeply_nested_values_are_invalid_parameters(server):
    deep = []
    for _ in range(100_000):
        deep = [deep]
    events = (
        {"payload": deep},
        {"query": {"q": deep}},
        {"retry": {"max_attempts": deep}},
        {"retry": {"statuses": deep}},
        {"paginate": {"max_pages": deep}},
        {"max_response_bytes": deep},
    )
    for event in events:
        with pytest.raises(InvalidParameterError):
            endpoint(server, "/items", "POST").invoke(event, Context(10_000))
    assert server.requests == []


def test_an_event_that_is_not_an_object_is_an_invalid_parameter(server):
    with pytest.raises(InvalidParameterError):
        endpoint(server).invoke(["not", "an", "object"], Context(10_000))


def test_event_content_length_and_host_headers_are_dropped(server):
    event = {
        "payload": {"a": 1},
        "headers": {
            "Content-Length": "999",
            "host": "evil.example",
            "Transfer-Encoding": "chunked",
            "Connection": "close",
            "X-Kept": "yes",
        },
    }
    result = endpoint(server, method="POST").invoke(event, Context(5_000))
    assert result["statusCode"] == 200
    seen = server.requests[-1]
    assert seen.headers["content-length"] == str(len(b'{"a": 1}'))
    assert seen.headers["host"] == f"127.0.0.1:{server.port}"
    assert "transfer-encoding" not in seen.headers
    assert seen.headers["x-kept"] == "yes"
    assert seen.body == b'{"a": 1}'


# ----------------------------------------------------------------- paging


def test_cross_origin_next_link_reports_incomplete(server):
    server.script(
        Act(
            json_body=[1, 2],
            headers={"Link": '<https://elsewhere.example/items?page=2>; rel="next"'},
        )
    )
    result = endpoint(server).invoke({"paginate": True}, Context(10_000))
    assert result["body"] == [1, 2]
    assert result["pages"] == 1
    assert result["complete"] is False
    assert result["stopped"] == "cross_origin"
    assert len(server.requests) == 1


# ------------------------------------------------------------ NaN results


def strict_json(text):
    def refuse(constant):
        raise ValueError(constant)

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_in_a_json_body_is_an_invalid_result(server, constant):
    body = f'{{"price": {constant}}}'.encode()
    server.script(Act(body=body, headers={"Content-Type": "application/json"}))
    with pytest.raises(InvalidResultError) as info:
        endpoint(server).invoke({}, Context(10_000))
    message = strict_json(str(info.value))
    assert message["status"] == 200
    assert "NaN or Infinity" in message["error"]


def test_a_postprocessor_may_replace_nan_but_not_return_it(server):
    body = b'{"price": NaN, "items": [Infinity]}'
    headers = {"Content-Type": "application/json"}
    server.script(Act(body=body, headers=headers), Act(body=body, headers=headers))

    def clean(result, args):
        return {
            "price": None if result["body"]["price"] != result["body"]["price"] else 1
        }

    def keep(result, args):
        return result

    assert endpoint(server, postprocessor=clean).invoke({}, Context(10_000)) == {
        "price": None
    }
    with pytest.raises(InvalidResultError):
        endpoint(server, postprocessor=keep).invoke({}, Context(10_000))


def test_an_error_body_with_nan_still_gives_a_json_message(server):
    body = b'{"error": NaN}'
    server.script(Act(404, body=body, headers={"Content-Type": "application/json"}))
    with pytest.raises(Exception) as info:
        endpoint(server).invoke({}, Context(10_000))
    assert strict_json(str(info.value))["body"] == {"error": "NaN"}


# ----------------------------------------------------- botocore at DEBUG


def test_botocore_at_debug_never_logs_the_decrypted_parameter(api, monkeypatch):
    pytest.importorskip("boto3")
    from picorun import credentials

    secret = "decrypted-s3cret-value-42"
    parameter = {
        "Parameter": {
            "Name": "/p/x",
            "Type": "SecureString",
            "Value": json.dumps({"token": secret}),
            "Version": 1,
        }
    }

    class Reply:
        def __init__(self):
            self.status = 200
            self.headers = {"Content-Type": "application/x-amz-json-1.1"}
            self.body = json.dumps(parameter).encode()

    api.reply(Reply())
    for name, value in {
        "AWS_ENDPOINT_URL_SSM": api.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(credentials, "_clients", {})
    records = []
    lock = threading.Lock()

    class Capture(logging.Handler):
        def emit(self, record):
            with lock:
                records.append(record.getMessage())

    root = logging.getLogger()
    handler = Capture(logging.DEBUG)
    previous = root.level
    saved = {n: logging.getLogger(n).level for n in ("botocore", "boto3", "urllib3")}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # what AWS_LAMBDA_LOG_LEVEL=DEBUG does
    try:
        value = credentials.load("ssm", "/p/x", 0, "the keys 'token'")
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
    assert value == {"token": secret}
    assert not any(secret in text for text in records)
