"""Property-based (hypothesis) tests of the client runtime with hostile input.

Generated events (wrong types everywhere, lone surrogates, deep nesting,
huge strings, odd header names and values) and generated responses (random
bytes, random Content-Encoding, truncated gzip, bombs, random headers and
statuses) from a loopback server always end in a result that is valid JSON
or in one of the runtime's own error classes, read within a bounded amount
of memory, with the credential the request carried never in any error.
"""

import base64
import gzip
import json
import time
import tracemalloc
import zlib
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from misbehaving import Act, MisbehavingServer
from picorun import (
    ApiError,
    Endpoint,
    InvalidParameterError,
    MissingParameterError,
    Parameter,
    redact,
)
from picorun.credentials import CredentialsError

OWN_ERRORS = (ApiError, InvalidParameterError, MissingParameterError, CredentialsError)
MB = 1024 * 1024


def modest(examples):
    """Few examples (the machine is shared), no deadline, no example database."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


class Context:
    def __init__(self, millis):
        self.deadline = time.monotonic() + millis / 1000

    def get_remaining_time_in_millis(self):
        return int((self.deadline - time.monotonic()) * 1000)


def assert_json(value):
    """A result must be JSON that any reader accepts (no NaN, valid Unicode escapes)."""
    json.dumps(value, allow_nan=False)


# ------------------------------------------------------------------ events

any_char = st.characters(codec=None)  # every code point, lone surrogates too
hostile_text = st.one_of(
    st.text(any_char, max_size=30),
    st.sampled_from(
        [
            "\ud800",
            "a\udfffb",
            "\r\nX-Injected: 1",
            "\x00",
            "Content-Length",
            "__proto__",
            "%00%0d%0a",
            "€",
            "../../etc",
        ]
    ),
    st.integers(1_000, 300_000).map(lambda n: "x" * n),
)


def nest(depth, leaf):
    for _ in range(depth):
        leaf = [leaf] if depth % 2 else {"k": leaf}
    return leaf


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
)
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(hostile_text, inner, max_size=4),
    ),
    max_leaves=12,
)
deep = st.tuples(st.sampled_from([100, 5_000, 60_000]), scalars).map(lambda t: nest(*t))
values = st.one_of(json_like, deep)
header_names = st.one_of(
    st.sampled_from(
        [
            "X-Id",
            "Content-Length",
            "Transfer-Encoding",
            "Host",
            "Connection",
            "Bad Name",
            "",
            ":path",
            "X\u00e9",
            "Authorization",
        ]
    ),
    st.text(any_char, max_size=12),
)
scalar_ids = st.one_of(hostile_text, st.integers(), st.booleans())
sections = st.fixed_dictionaries(
    {
        "path": st.one_of(
            st.fixed_dictionaries({"id": st.text(any_char, min_size=1, max_size=20)}),
            st.fixed_dictionaries({"id": scalar_ids}),
            st.fixed_dictionaries({"id": values}),
            values,
        )
    },
    optional={
        "query": st.one_of(
            st.dictionaries(
                st.sampled_from(["q", "tags", "x"]) | hostile_text, values, max_size=3
            ),
            values,
        ),
        "headers": st.one_of(
            st.dictionaries(header_names, scalars, max_size=3), values
        ),
        "cookies": st.one_of(
            st.dictionaries(st.just("session") | hostile_text, scalars, max_size=2),
            values,
        ),
        "payload": values,
    },
)
controls = st.fixed_dictionaries(
    {},
    optional={
        "payload_base64": st.one_of(
            values, st.binary(max_size=50).map(base64.b64encode).map(bytes.decode)
        ),
        "retry": st.one_of(
            st.just(False),
            values,
            st.dictionaries(
                st.sampled_from(["max_attempts", "statuses", "methods", "base", "cap"]),
                values,
                max_size=2,
            ),
        ),
        "paginate": st.one_of(
            st.just(True),
            values,
            st.dictionaries(
                st.sampled_from(
                    ["max_pages", "cursor_param", "cursor_field", "items_field"]
                ),
                values,
                max_size=2,
            ),
        ),
        "max_response_bytes": st.one_of(st.integers(-5, 10**6), values),
    },
)
events = st.one_of(
    sections,
    sections,
    st.tuples(sections, controls).map(lambda t: {**t[0], **t[1]}),
    values,
)


def event_endpoint(url):
    return Endpoint(
        "ns_hostile",
        "POST",
        "/items/{id}",
        url + "/v1",
        parameters=[
            Parameter("id", "path"),
            Parameter("q", "query", style="deepObject"),
            Parameter("tags", "query", explode=False),
            Parameter("X-Id", "header"),
            Parameter("session", "cookie"),
        ],
        body_content_type="application/json",
    )


def test_hostile_events_end_in_a_result_or_an_own_error():
    server = MisbehavingServer()
    endpoint = event_endpoint(server.url)
    try:

        @modest(150)
        @given(events)
        def run(event):
            try:
                result = endpoint.invoke(event, Context(4_000))
            except OWN_ERRORS:
                return
            assert_json(result)

        run()
    finally:
        server.close()


# --------------------------------------------------------------- responses

TOKEN = "tok-Hyp0thesis/secret+value=="


def with_token(args):
    args.headers["Authorization"] = f"Bearer {TOKEN}"


def echoes(data):
    """Bytes that may quote the token (raw, percent-encoded, base64)."""
    forms = [
        TOKEN.encode(),
        quote(TOKEN, safe="").encode(),
        base64.b64encode(TOKEN.encode()),
        f"Bearer {TOKEN}".encode(),
    ]
    return st.tuples(st.lists(st.sampled_from(forms), max_size=2), data).map(
        lambda t: b" ".join([*t[0], t[1]])
    )


def bomb(size, coding):
    if coding == "deflate":
        return zlib.compress(b"\0" * size, 9)
    return gzip.compress(b"\0" * size, 9)


raw_bodies = st.binary(max_size=2_000)
json_bodies = st.sampled_from(
    [b'{"a": NaN}', b"[Infinity]", b"[" * 50_000 + b"]" * 50_000, b'{"ok": 1}', b"{"]
)
bodies = st.one_of(
    echoes(raw_bodies),
    echoes(json_bodies),
    st.tuples(st.integers(0, 32 * MB), st.sampled_from(["gzip", "deflate"])).map(
        lambda t: (bomb(*t), t[1])
    ),
    st.tuples(echoes(raw_bodies), st.integers(0, 40)).map(
        lambda t: (gzip.compress(t[0])[: -t[1] or None], "gzip")
    ),
)
content_types = st.sampled_from(
    [
        None,
        "application/json",
        "application/problem+json; charset=utf-16",
        "text/plain; charset=idna",
        "text/plain; charset=nonexistent",
        "text/html; charset=latin-1",
        "application/octet-stream",
        "image/png",
        "application/json; charset=rot13",
    ]
)
codings = st.sampled_from(
    [None, "gzip", "x-gzip", "deflate", "br", "gzip, gzip", "identity", "GZIP "]
)
header_text = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"),
    max_size=40,
)
token_name = st.text(
    st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!#$%&'*+^`|~"
    ),
    min_size=1,
    max_size=15,
).filter(
    lambda n: (
        n.lower()
        not in (
            "content-length",
            "transfer-encoding",
            "connection",
            "content-encoding",
            "content-type",
        )
    )
)
statuses = st.one_of(
    st.sampled_from([200, 201, 204, 301, 302, 303, 307, 401, 404, 429, 500, 503]),
    st.integers(200, 599),
)
responses = st.fixed_dictionaries(
    {
        "status": statuses,
        "body": bodies,
        "content_type": content_types,
        "coding": codings,
        "headers": st.dictionaries(token_name, header_text, max_size=4),
        "echo_header": st.booleans(),
        "location": st.sampled_from(
            [
                None,
                "/v1/next",
                "https://elsewhere.example/x",
                "//other/path",
                f"/v1/login?t={TOKEN}",
            ]
        ),
        "framing": st.sampled_from([{}, {"chunked": True}, {"length": False}]),
        "limit": st.sampled_from([None, 0, 1, 10_000, 100_000]),
    }
)


def act_for(response):
    body = response["body"]
    coding = response["coding"]
    if isinstance(body, tuple):
        body, coding = body
    headers = dict(response["headers"])
    if response["content_type"]:
        headers["Content-Type"] = response["content_type"]
    if coding:
        headers["Content-Encoding"] = coding
    if response["echo_header"]:
        headers["WWW-Authenticate"] = f'Bearer realm="{TOKEN}"'
    if response["location"]:
        headers["Location"] = response["location"]
    return Act(response["status"], body=body, headers=headers, **response["framing"])


def error_text(exc):
    parts = [str(exc)]
    for attribute in ("body", "headers"):
        if hasattr(exc, attribute):
            parts.append(json.dumps(getattr(exc, attribute), default=str))
    return "\n".join(parts)


def test_hostile_responses_are_read_bounded_and_never_leak_the_token():
    server = MisbehavingServer()
    endpoint = Endpoint(
        "ns_hostile", "GET", "/items", server.url + "/v1", preprocessor=with_token
    )
    try:

        @modest(60)
        @given(responses)
        def run(response):
            redact.forget()
            server.acts.clear()
            server.script(act_for(response))
            event = {"retry": False}
            if response["limit"] is not None:
                event["max_response_bytes"] = response["limit"]
            tracemalloc.start()
            try:
                try:
                    outcome = endpoint.invoke(event, Context(5_000))
                except OWN_ERRORS as exc:
                    outcome = exc
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            if isinstance(outcome, Exception):
                text = error_text(outcome)
                for form in (
                    TOKEN,
                    quote(TOKEN, safe=""),
                    base64.b64encode(TOKEN.encode()).decode(),
                ):
                    assert form not in text
            else:
                assert_json(outcome)
            if response["limit"] != 0:
                # 32 MB bombs, 100 KB limit at most: inflating one whole would show.
                assert peak < 12 * MB, peak

        run()
    finally:
        server.close()
