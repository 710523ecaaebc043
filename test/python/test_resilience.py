"""Retries, deadlines, error messages, the size guard, pagination and
keep-alive, against a loopback server that misbehaves on purpose."""

import email.utils
import json
import time

import pytest
from misbehaving import Act
from picorun import (
    ApiConnectionError,
    ApiTimeoutError,
    Endpoint,
    Http404Error,
    Http429Error,
    Http500Error,
    Http503Error,
    InvalidParameterError,
    Parameter,
    ResponseTooLargeError,
    retry,
    transport,
)

FAST = {"base": 0.01, "cap": 0.05}


class Context:
    def __init__(self, millis):
        self.deadline = time.monotonic() + millis / 1000

    def get_remaining_time_in_millis(self):
        return int((self.deadline - time.monotonic()) * 1000)


def endpoint(server, path="/items", method="GET", **kwargs):
    return Endpoint("ns_items", method, path, server.url + "/v1", **kwargs)


# ------------------------------------------------------------------ retries


def test_429_with_retry_after_then_success(server):
    server.script(Act(429, headers={"Retry-After": "1"}), Act(json_body=[1]))
    start = time.monotonic()
    result = endpoint(server).invoke({}, Context(10_000))
    assert result["statusCode"] == 200 and result["body"] == [1]
    assert len(server.requests) == 2
    gap = server.requests[1].at - server.requests[0].at
    assert 0.95 <= gap < 2.0
    assert time.monotonic() - start < 3


def test_503_twice_then_success(server):
    server.script(Act(503), Act(503), Act(json_body={"done": True}))
    result = endpoint(server).invoke({"retry": FAST}, Context(10_000))
    assert result["body"] == {"done": True}
    assert [r.method for r in server.requests] == ["GET"] * 3


def test_post_that_fails_with_500_is_sent_once(server):
    server.script(Act(500, json_body={"error": "boom"}), Act(json_body={"ok": 1}))
    with pytest.raises(Http500Error):
        endpoint(server, method="POST").invoke({"payload": {"a": 1}}, Context(10_000))
    assert len(server.requests) == 1


def test_post_with_retry_after_is_retried(server):
    server.script(Act(503, headers={"Retry-After": "0"}), Act(json_body={"ok": 1}))
    result = endpoint(server, method="POST").invoke({"payload": {}}, Context(10_000))
    assert result["body"] == {"ok": 1}
    assert len(server.requests) == 2


def test_retry_after_past_the_deadline_raises_at_once(server):
    server.script(Act(429, headers={"Retry-After": "30"}, json_body={"slow": "down"}))
    start = time.monotonic()
    with pytest.raises(Http429Error) as info:
        endpoint(server).invoke({}, Context(5_000))
    assert time.monotonic() - start < 1
    assert len(server.requests) == 1
    assert json.loads(str(info.value))["headers"]["retry-after"] == "30"


def test_retry_after_as_http_date(server):
    when = email.utils.formatdate(time.time() + 1, usegmt=True)
    server.script(Act(503, headers={"Retry-After": when}), Act(json_body=[]))
    endpoint(server).invoke({}, Context(10_000))
    gap = server.requests[1].at - server.requests[0].at
    assert 0.0 < gap < 2.5


def test_gives_up_after_max_attempts(server):
    server.script(*[Act(503) for _ in range(5)])
    with pytest.raises(Http503Error):
        endpoint(server).invoke({"retry": {**FAST, "max_attempts": 4}}, Context(10_000))
    assert len(server.requests) == 4


def test_retry_false_sends_once(server):
    server.script(Act(503, headers={"Retry-After": "0"}), Act())
    with pytest.raises(Http503Error):
        endpoint(server).invoke({"retry": False}, Context(10_000))
    assert len(server.requests) == 1


def test_retry_defaults_from_environment(server, monkeypatch):
    monkeypatch.setenv("PICORUN_RETRY_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("PICORUN_RETRY_STATUSES", "418")
    monkeypatch.setenv("PICORUN_RETRY_BASE", "0.01")
    server.script(Act(418), Act(418), Act(418))
    with pytest.raises(Exception, match="418"):
        endpoint(server).invoke({}, Context(10_000))
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "override", [{"max_attempts": 0}, {"statuses": "500"}, {"bogus": 1}, "yes"]
)
def test_bad_retry_override(server, override):
    with pytest.raises(InvalidParameterError):
        endpoint(server).invoke({"retry": override}, None)
    assert server.requests == []


@pytest.mark.parametrize(("method", "sent"), [("GET", 3), ("DELETE", 3), ("POST", 1)])
def test_connection_errors_retried_for_idempotent_methods(server, method, sent):
    server.script(*[Act(None) for _ in range(3)])
    with pytest.raises(ApiConnectionError) as info:
        endpoint(server, method=method).invoke({"retry": FAST}, Context(10_000))
    assert not isinstance(info.value, ApiTimeoutError)
    assert len(server.requests) == sent
    assert server.connections == sent


def test_full_jitter_stays_under_cap():
    policy = retry.RetryPolicy(base=1, cap=3)
    waits = [policy.backoff(attempt) for attempt in range(1, 8) for _ in range(50)]
    assert all(0 <= w <= 3 for w in waits)
    assert max(waits) > 2  # the cap is reached, not only the base
    assert retry.retry_after("120") == 120
    assert retry.retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert retry.retry_after("soon") is None


# ------------------------------------------------------------------ errors


def test_404_message_is_json_with_the_body(server):
    server.script(
        Act(
            404,
            json_body={"message": "no such item", "code": "E404"},
            headers={"X-Request-Id": "req-1", "Set-Cookie": "session=secret"},
        )
    )
    ep = endpoint(server, "/items/{id}", parameters=(Parameter("id", "path"),))
    with pytest.raises(Http404Error) as info:
        ep.invoke({"path": {"id": "7"}, "query": {"api_key": "k3y"}}, Context(10_000))
    message = json.loads(str(info.value))
    assert message == {
        "status": 404,
        "method": "GET",
        "path": "/items/{id}",
        "url": f"{server.url}/v1/items/7",
        "headers": {"content-type": "application/json", "x-request-id": "req-1"},
        "body": {"message": "no such item", "code": "E404"},
    }
    assert "k3y" not in str(info.value) and "secret" not in str(info.value)


def test_big_error_body_is_truncated(server):
    server.script(Act(400, body=b"x" * 20_000, headers={"Content-Type": "text/plain"}))
    with pytest.raises(Exception) as info:
        endpoint(server).invoke({}, Context(10_000))
    message = json.loads(str(info.value))
    assert message["truncated"] is True
    assert len(message["body"]) == 4096


# --------------------------------------------------------------- size guard


def test_300_kb_response_raises_response_too_large(server):
    server.script(Act(json_body=["x" * 1000] * 300))
    with pytest.raises(ResponseTooLargeError) as info:
        endpoint(server).invoke({}, Context(10_000))
    message = json.loads(str(info.value))
    assert message["status"] == 200
    assert message["size"] > 300_000
    assert message["max_response_bytes"] == 256 * 1024 - 4096


def test_size_guard_can_be_disabled(server, monkeypatch):
    server.script(Act(json_body=["x" * 1000] * 300), Act(json_body=["x" * 1000] * 300))
    assert len(endpoint(server).invoke({"max_response_bytes": 0}, None)["body"]) == 300
    monkeypatch.setenv("PICORUN_MAX_RESPONSE_BYTES", "0")
    assert len(endpoint(server).invoke({}, None)["body"]) == 300


# ---------------------------------------------------------------- pagination


def test_three_link_paginated_pages(server):
    base = server.url + "/v1/items"
    server.script(
        Act(
            json_body=[1, 2],
            headers={
                "Link": f'<{base}?page=2>; rel="next", <{base}?page=3>; rel="last"'
            },
        ),
        Act(
            json_body=[3],
            headers={
                "Link": f'<{base}?page=1>; rel="first", </v1/items?page=3>; rel=next'
            },
        ),
        Act(json_body=[4, 5], headers={"Link": f'<{base}?page=1>; rel="first"'}),
    )
    result = endpoint(server).invoke(
        {"paginate": True, "headers": {"X-Key": "k"}}, Context(10_000)
    )
    assert result["body"] == [1, 2, 3, 4, 5]
    assert result["pages"] == 3
    assert result["complete"] is True
    assert [r.target for r in server.requests] == [
        "/v1/items",
        "/v1/items?page=2",
        "/v1/items?page=3",
    ]
    assert all(r.headers["x-key"] == "k" for r in server.requests)


def test_pagination_stops_at_max_pages(server):
    link = {"Link": "</v1/items?page=next>; rel=next"}
    server.script(*[Act(json_body=[i], headers=link) for i in range(5)])
    result = endpoint(server).invoke({"paginate": {"max_pages": 2}}, None)
    assert result["body"] == [0, 1]
    assert result["complete"] is False and result["stopped"] == "max_pages"


def test_link_to_another_origin_is_not_followed(server):
    server.script(
        Act(json_body=[1], headers={"Link": "<http://127.0.0.2:9/x>; rel=next"})
    )
    result = endpoint(server).invoke({"paginate": True}, None)
    assert result["body"] == [1] and result["pages"] == 1
    assert len(server.requests) == 1


def test_cursor_pagination(server, monkeypatch):
    monkeypatch.setenv("PICORUN_PAGINATION_CURSOR_PARAM", "cursor")
    monkeypatch.setenv("PICORUN_PAGINATION_CURSOR_FIELD", "meta.next")
    monkeypatch.setenv("PICORUN_PAGINATION_ITEMS_FIELD", "data")
    server.script(
        Act(json_body={"data": [1], "meta": {"next": "c2"}}),
        Act(json_body={"data": [2], "meta": {"next": "c3"}}),
        Act(json_body={"data": [3], "meta": {"next": None}}),
    )
    result = endpoint(server).invoke({"paginate": True, "query": {"limit": 1}}, None)
    assert result["body"] == [1, 2, 3] and result["pages"] == 3
    assert [r.target for r in server.requests] == [
        "/v1/items?limit=1",
        "/v1/items?limit=1&cursor=c2",
        "/v1/items?limit=1&cursor=c3",
    ]


def test_pagination_stops_at_the_deadline_with_what_it_has(server):
    link = {"Link": "</v1/items?page=next>; rel=next"}
    server.script(
        Act(json_body=[1], headers=link), Act(body=b"[2]", trickle=1.0, headers=link)
    )
    start = time.monotonic()
    result = endpoint(server).invoke({"paginate": True}, Context(2_500))
    assert time.monotonic() - start < 2.5
    assert result["body"] == [1]
    assert result["complete"] is False and result["stopped"] == "deadline"


# ------------------------------------------------------ connections, deadline


def test_five_warm_calls_use_one_connection(server):
    ep = endpoint(server)
    for _ in range(5):
        assert ep.invoke({}, Context(10_000))["statusCode"] == 200
    assert len(server.requests) == 5
    assert server.connections == 1


def test_reconnects_when_the_server_closed_the_connection(server):
    ep = endpoint(server)
    ep.invoke({}, None)
    server.drop_idle_connections()
    time.sleep(0.05)
    assert ep.invoke({}, None)["statusCode"] == 200
    server.script(Act(close=True, json_body=[1]))
    assert ep.invoke({}, None)["body"] == [1]
    assert ep.invoke({}, None)["statusCode"] == 200
    assert server.connections == 3


def test_trickled_body_with_three_seconds_left_times_out(server):
    server.script(Act(body=b'{"slow": "' + b"x" * 60 + b'"}', trickle=1.0))
    start = time.monotonic()
    with pytest.raises(ApiTimeoutError) as info:
        endpoint(server).invoke({}, Context(3_000))
    elapsed = time.monotonic() - start
    assert 1.5 < elapsed < 3.0
    assert json.loads(str(info.value))["error"].startswith("timed out after 2")


# ---------------------------------------------------------------- edge cases


@pytest.mark.parametrize("value", ["", [], {}])
def test_empty_path_parameter_is_refused(server, value):
    ep = endpoint(server, "/items/{id}", parameters=(Parameter("id", "path"),))
    with pytest.raises(InvalidParameterError, match="'id' is empty"):
        ep.invoke({"path": {"id": value}}, None)
    assert server.requests == []


def test_header_outside_latin1_is_refused(server):
    with pytest.raises(InvalidParameterError, match="Latin-1"):
        endpoint(server).invoke({"headers": {"X-Name": "Łukasz"}}, None)
    endpoint(server).invoke({"headers": {"X-Name": "José"}}, None)
    assert server.requests[0].headers["x-name"] == "José"


def test_binary_payload_from_base64(server):
    data = bytes(range(256))
    import base64

    ep = endpoint(server, method="PUT", body_content_type="application/octet-stream")
    ep.invoke({"payload_base64": base64.b64encode(data).decode()}, None)
    request = server.requests[0]
    assert request.body == data
    assert request.headers["content-type"] == "application/octet-stream"
    with pytest.raises(InvalidParameterError, match="base64"):
        ep.invoke({"payload_base64": "not base64!"}, None)


def test_preprocessor_may_return_a_dict(server):
    def pre(args):
        return {"headers": {**args.headers, "X-From": "dict"}, "query": {"q": "1"}}

    endpoint(server, preprocessor=pre).invoke({"headers": {"X-A": "a"}}, None)
    request = server.requests[0]
    assert request.headers["x-from"] == "dict" and request.headers["x-a"] == "a"
    assert request.target == "/v1/items?q=1"
    with pytest.raises(InvalidParameterError, match="unknown key"):
        endpoint(server, preprocessor=lambda args: {"nope": 1}).invoke({}, None)


@pytest.mark.parametrize(
    "url", ["ftp://example.com", "file:///etc/passwd", "example.com"]
)
def test_only_http_server_urls(url):
    with pytest.raises(InvalidParameterError, match="http"):
        Endpoint("ns_x", "GET", "/x", url).invoke({}, None)


def test_a_call_without_retry_does_not_sleep(server, monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda s: pytest.fail("slept"))
    endpoint(server).invoke({}, None)
    assert transport.connection_count() == 1
