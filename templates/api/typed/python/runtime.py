"""picofun's handler runtime: turns API Gateway proxy events into typed requests and what a
handler returns into proxy responses. Generated: rewritten on every run, do not edit."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import sys
import traceback
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

JSON_TYPE = "application/json"


class BadRequest(Exception):
    """The request does not fit the operation: answered 400 with the message."""


class HttpError(Exception):
    """Raise to answer with this status and JSON body (the spec's error model, if it has one)."""

    def __init__(self, status: int, body: object = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


@dataclasses.dataclass
class Response:
    """A full answer: status, JSON body (or raw bytes in `binary`) and headers."""

    status: int = 200
    body: object = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    binary: bytes | None = None


def json_response(body: object, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON answer."""
    return Response(status=status, body=body, headers=dict(headers or {}))


def binary_response(data: bytes, content_type: str = "application/octet-stream", status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A binary answer (sent base64-encoded, as API Gateway expects)."""
    return Response(status=status, headers={"Content-Type": content_type, **dict(headers or {})}, binary=data)


def not_implemented(operation: str, request: object) -> Response:
    """501 with what was received: what a new stub answers until it is implemented."""
    received: dict[str, object] = {}
    if dataclasses.is_dataclass(request) and not isinstance(request, type):
        received = {f.name: getattr(request, f.name) for f in dataclasses.fields(request) if f.name != "event"}
    return json_response({"operation": operation, "received": received}, status=501)


class Event:
    """Read access to a proxy event (v1.0) that tolerates any shape."""

    def __init__(self, event: object) -> None:
        self.raw: dict[str, object] = event if isinstance(event, dict) else {}
        if not isinstance(event, dict):
            raise BadRequest("the event is not a JSON object")
        headers = self._table("headers")
        self.headers = {k.lower(): v for k, v in headers.items() if isinstance(v, str)}

    def _table(self, key: str) -> dict[str, object]:
        value = self.raw.get(key)
        return value if isinstance(value, dict) else {}

    def _text(self, key: str, name: str) -> str | None:
        value = self._table(key).get(name)
        return value if isinstance(value, str) else None

    def path(self, name: str) -> str | None:
        return self._text("pathParameters", name)

    def query(self, name: str) -> str | None:
        return self._text("queryStringParameters", name)

    def multi(self, name: str) -> list[str] | None:
        value = self._table("multiValueQueryStringParameters").get(name)
        if isinstance(value, list):
            return [v for v in value if isinstance(v, str)]
        one = self.query(name)
        return None if one is None else [one]

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def cookie(self, name: str) -> str | None:
        for part in (self.header("cookie") or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return None

    def body_bytes(self) -> bytes | None:
        body = self.raw.get("body")
        if body is None:
            return None
        if not isinstance(body, str):
            raise BadRequest("the body is not a string")
        if self.raw.get("isBase64Encoded") is True:
            try:
                return base64.b64decode(body, validate=True)
            except (binascii.Error, ValueError):
                raise BadRequest("the body is not valid base64") from None
        return body.encode("utf-8", "surrogatepass")

    def json_body(self, required: bool) -> object:
        data = self.body_bytes()
        if not data:
            if required:
                raise BadRequest("the request body is required")
            return None
        try:
            return json.loads(data, parse_float=_finite, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise BadRequest("the request body is not valid JSON") from None

    def text_body(self, required: bool) -> str | None:
        data = self.body_bytes()
        if not data:
            if required:
                raise BadRequest("the request body is required")
            return None
        return data.decode("utf-8", "replace")


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return number


def _no_constant(text: str) -> object:
    raise ValueError(f"{text} is not JSON")


def as_str(name: str, value: str) -> str:
    return value


def as_int(name: str, value: str) -> int:
    text = value.strip()
    if not text or len(text) > 40 or not text.lstrip("+-").isdigit() or not text.isascii():
        raise BadRequest(f"parameter {name} must be an integer")
    return int(text)


def as_float(name: str, value: str) -> float:
    try:
        number = float(value) if len(value) <= 100 and value.isascii() else float("nan")
    except ValueError:
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        raise BadRequest(f"parameter {name} must be a number")
    return number


def as_bool(name: str, value: str) -> bool:
    if value in ("true", "false"):
        return value == "true"
    raise BadRequest(f"parameter {name} must be true or false")


def required(convert: Callable[[str, str], T], name: str, value: str | None) -> T:
    if value is None:
        raise BadRequest(f"parameter {name} is required")
    return convert(name, value)


def optional(convert: Callable[[str, str], T], name: str, value: str | None) -> T | None:
    return None if value is None else convert(name, value)


def many(convert: Callable[[str, str], T], name: str, values: list[str] | None, need: bool) -> list[T] | None:
    if values is None:
        if need:
            raise BadRequest(f"parameter {name} is required")
        return None
    return [convert(name, v) for v in values]


def _answer(status: int, body: object, headers: Mapping[str, str] | None = None) -> dict[str, object]:
    out_headers = {"Content-Type": JSON_TYPE, **dict(headers or {})}
    if body is None:
        out_headers.pop("Content-Type")
        return {"statusCode": status, "headers": out_headers, "body": ""}
    return {"statusCode": status, "headers": out_headers, "body": json.dumps(body, allow_nan=False)}


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def _status(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
        return value
    raise TypeError("a response status must be an integer from 100 to 599")


def _headers(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise TypeError("response headers must map strings to strings")
    return dict(value)


def to_proxy(result: object, success: int) -> dict[str, object]:
    """What a handler returned, as a proxy response (TypeError/ValueError when it cannot be one)."""
    if isinstance(result, Response):
        status, headers = _status(result.status), _headers(result.headers)
        if result.binary is not None:
            if not isinstance(result.binary, (bytes, bytearray)):
                raise TypeError("Response.binary must be bytes")
            data = base64.b64encode(bytes(result.binary)).decode("ascii")
            return {"statusCode": status, "headers": headers, "body": data, "isBase64Encoded": True}
        return _answer(status, _plain(result.body), headers)
    return _answer(success, _plain(result))


def _log(operation: str, what: str) -> None:
    print(f"picofun: {operation}: {what}", file=sys.stderr)
    traceback.print_exc(file=sys.stderr)


def run(event: object, parse: Callable[[Event], R], call: Callable[[R], object], operation: str, success: int) -> dict[str, object]:
    """The Lambda entry point of one operation: parse, call, answer. Never raises."""
    try:
        request = parse(Event(event))
    except BadRequest as err:
        return _answer(400, {"message": str(err)[:1000]})
    except Exception:
        _log(operation, "the event could not be read")
        return _answer(400, {"message": "the request could not be read"})
    try:
        result = call(request)
    except HttpError as err:
        try:
            return _answer(_status(err.status), _plain(err.body), _headers(err.headers))
        except Exception:
            _log(operation, "the HttpError raised cannot be sent")
            return _answer(502, {"message": "the handler's error cannot be sent"})
    except BadRequest as err:
        return _answer(400, {"message": str(err)[:1000]})
    except Exception:
        _log(operation, "the handler failed")
        return _answer(500, {"message": "Internal server error"})
    try:
        return to_proxy(result, success)
    except (TypeError, ValueError, RecursionError, OverflowError):
        _log(operation, "the handler's result is not a response")
        return _answer(502, {"message": "the handler's result cannot be sent"})


def required_body(data: bytes | None) -> bytes:
    if not data:
        raise BadRequest("the request body is required")
    return data
