"""The generated glue of typed handlers against hostile proxy events and hostile handler results.

Run by test/e2e/typed-python.test.ts with GLUE_DIR (output/handlers_glue of a freshly generated
orders project) and HANDLERS_DIR on sys.path. Whatever comes in, every entry point answers a
proxy response: 400 for input that does not fit, 500/502 for a handler that fails or returns
something that is not a response; never an exception."""

from __future__ import annotations

import importlib
import json
import math
import os
import sys
import types

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.dont_write_bytecode = True
sys.path[:0] = [os.environ["HANDLERS_DIR"], os.environ["GLUE_DIR"]]

from picofun_api import runtime  # noqa: E402

OPS = ["listOrders", "createOrder", "getOrder", "cancelOrder", "putLineItem", "listCatalogItems"]
ENTRIES = {op: importlib.import_module(f"picofun_api.ops.op_{op}") for op in OPS}

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30), st.binary(max_size=20))
json_like = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
names = st.sampled_from(["orderId", "item-id", "limit", "status", "category", "X-Request-Id", "x-request-id", "__proto__", ""]) | st.text(max_size=12)
odd_text = st.one_of(st.text(max_size=40), st.sampled_from(["1e309", "NaN", "-0", "99999999999999999999999999999999999999999", "١٢", "true", "", " 5 ", "0x10"]))
tables = st.one_of(st.none(), json_like, st.dictionaries(names, st.one_of(odd_text, json_like), max_size=6))
multi = st.one_of(st.none(), json_like, st.dictionaries(names, st.one_of(st.lists(odd_text, max_size=4), json_like), max_size=6))
bodies = st.one_of(st.none(), json_like, odd_text, st.sampled_from(["{", "[]", '{"customer": 1}', "!!notbase64!!", "e30=", '{"a":' * 3000]))
events = st.one_of(
    json_like,
    st.fixed_dictionaries(
        {},
        optional={
            "pathParameters": tables,
            "queryStringParameters": tables,
            "multiValueQueryStringParameters": multi,
            "headers": tables,
            "body": bodies,
            "isBase64Encoded": st.one_of(st.booleans(), json_like),
            "httpMethod": json_like,
        },
    ),
)


def check_proxy(answer: object) -> dict[str, object]:
    assert isinstance(answer, dict)
    status = answer["statusCode"]
    assert isinstance(status, int) and 100 <= status <= 599
    headers = answer["headers"]
    assert isinstance(headers, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items())
    assert isinstance(answer["body"], str)
    json.dumps(answer, allow_nan=False)
    return answer


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(op=st.sampled_from(OPS), event=events)
def test_hostile_events_always_get_a_proxy_response(op: str, event: object) -> None:
    answer = check_proxy(ENTRIES[op].handler(event, None))
    # Stubs are not implemented: an event that fits answers 501, anything else is the client's fault.
    assert answer["statusCode"] in (400, 501)


def valid_get_order(**overrides: object) -> dict[str, object]:
    event: dict[str, object] = {"pathParameters": {"orderId": "o-1"}, "headers": {"X-Request-Id": "r"}, "body": None}
    event.update(overrides)
    return event


def test_typed_parameters_are_coerced_and_checked() -> None:
    list_orders = ENTRIES["listOrders"]
    ok = {"queryStringParameters": {"limit": "5"}, "multiValueQueryStringParameters": {"status": ["open", "shipped"], "limit": ["5"]}, "headers": {"x-request-id": "r"}}
    answer = check_proxy(list_orders.handler(ok, None))
    assert answer["statusCode"] == 501
    received = json.loads(str(answer["body"]))["received"]
    assert received["limit"] == 5 and received["status"] == ["open", "shipped"] and received["x_request_id"] == "r"
    for bad in ["abc", "1.5", "", "99999999999999999999999999999999999999999999"]:
        event = dict(ok, queryStringParameters={"limit": bad})
        assert check_proxy(list_orders.handler(event, None))["statusCode"] == 400
    assert check_proxy(ENTRIES["getOrder"].handler(valid_get_order(headers={}), None))["statusCode"] == 400
    put = ENTRIES["putLineItem"]
    base = {"pathParameters": {"orderId": "o", "item-id": "7"}, "body": '{"sku": "s", "quantity": 1}'}
    assert json.loads(str(check_proxy(put.handler(base, None))["body"]))["received"]["item_id"] == 7
    assert check_proxy(put.handler(dict(base, body="e30=", isBase64Encoded=True), None))["statusCode"] == 501
    assert check_proxy(put.handler(dict(base, body="!!", isBase64Encoded=True), None))["statusCode"] == 400
    assert check_proxy(put.handler(dict(base, body="{"), None))["statusCode"] == 400
    assert check_proxy(put.handler(dict(base, body=None), None))["statusCode"] == 400


class Weird:
    pass


hostile_results = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda f: not math.isfinite(f)),
    st.sets(st.integers(), min_size=1, max_size=3),
    st.binary(min_size=1, max_size=5),
    st.just(Weird()),
    st.builds(runtime.Response, status=st.one_of(st.integers(), st.text(max_size=3), st.none(), st.booleans()), body=json_like, headers=st.one_of(json_like, st.dictionaries(st.text(max_size=5), json_like, max_size=3))),
    st.builds(runtime.Response, binary=st.one_of(st.text(max_size=5), st.integers())),
    st.just([[[]]]).map(lambda _: nested(5000)),
    st.dictionaries(st.text(max_size=5), st.just(float("nan")), min_size=1, max_size=2),
)


def nested(depth: int) -> object:
    value: object = []
    for _ in range(depth):
        value = [value]
    return value


hostile_raises = st.one_of(
    st.builds(ValueError, st.text(max_size=20)),
    st.builds(KeyError, st.text(max_size=20)),
    st.builds(runtime.HttpError, st.one_of(st.integers(), st.none(), st.text(max_size=3)), st.one_of(json_like, st.just(float("nan")), st.just(Weird()))),
    st.builds(RecursionError),
)


def install(handle: object) -> None:
    module = types.ModuleType("getOrder")
    module.handle = handle  # type: ignore[attr-defined]
    sys.modules["getOrder"] = module


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(result=hostile_results)
def test_hostile_results_become_5xx_never_a_crash(result: object) -> None:
    install(lambda request: result)
    try:
        answer = check_proxy(ENTRIES["getOrder"].handler(valid_get_order(), None))
    finally:
        sys.modules.pop("getOrder", None)
    status = answer["statusCode"]
    assert status in (500, 502) or (isinstance(result, runtime.Response) and status == result.status)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(error=hostile_raises)
def test_hostile_raises_become_responses(error: BaseException) -> None:
    def handle(request: object) -> object:
        raise error

    install(handle)
    try:
        answer = check_proxy(ENTRIES["getOrder"].handler(valid_get_order(), None))
    finally:
        sys.modules.pop("getOrder", None)
    if isinstance(error, runtime.HttpError) and isinstance(error.status, int) and 100 <= error.status <= 599 and answer["statusCode"] != 502:
        assert answer["statusCode"] == error.status
    else:
        assert answer["statusCode"] in (500, 502)


def test_models_and_responses_are_sent_as_declared() -> None:
    install(lambda request: {"id": request.order_id, "customer": "c", "items": [], "status": "open"})
    try:
        answer = check_proxy(ENTRIES["getOrder"].handler(valid_get_order(), None))
    finally:
        sys.modules.pop("getOrder", None)
    assert answer["statusCode"] == 200 and json.loads(str(answer["body"]))["id"] == "o-1"
    install(lambda request: runtime.binary_response(b"\x00\xff", "application/pdf"))
    try:
        answer = check_proxy(ENTRIES["getOrder"].handler(valid_get_order(), None))
    finally:
        sys.modules.pop("getOrder", None)
    assert answer["isBase64Encoded"] is True and answer["body"] == "AP8=" and answer["headers"] == {"Content-Type": "application/pdf"}
    sys.modules.pop("cancelOrder", None)
    install_named("cancelOrder", lambda request: None)
    answer = check_proxy(ENTRIES["cancelOrder"].handler({"pathParameters": {"orderId": "o"}}, None))
    assert answer["statusCode"] == 204 and answer["body"] == ""
    sys.modules.pop("cancelOrder", None)


def install_named(name: str, handle: object) -> None:
    module = types.ModuleType(name)
    module.handle = handle  # type: ignore[attr-defined]
    sys.modules[name] = module
