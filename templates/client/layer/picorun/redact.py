"""Keep credentials out of error messages.

An API may echo what it was sent: a 401 body quoting the ``Authorization``
header, a ``Location`` with the API key in its query.  Every credential the
runtime sends is remembered here (the generated ``auth_hooks`` and the
OAuth2 client name theirs; for the rest, the values of ``Authorization``,
``Proxy-Authorization``, cookies and headers or query parameters whose name
says key, token, secret, password, session, signature or auth), and
:func:`scrub` replaces each of them with ``***`` in the text, headers and
bodies an error carries, in the encoded forms that are cheap to predict as
well: percent-encoded (``%20`` and ``+``), base64, JSON-escaped, and for
Basic authentication the decoded ``user:password`` and the password alone.

Values shorter than :data:`MIN_LENGTH` are not treated as secrets (they
would blank out ordinary words).  The most recent :data:`KEPT` values are
kept per process, so a warm function also scrubs the credential it used on
the previous call.  Imports nothing of picorun.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

MASK = "***"
MIN_LENGTH = 4
KEPT = 64
#: Credential keys of the generated authentication's parameters.
CREDENTIAL_KEYS = (
    "token",
    "password",
    "api_key",
    "key",
    "key_password",
    "client_secret",
    "refresh_token",
    "access_token",
)
_AUTH_HEADERS = ("authorization", "proxy-authorization")
_MARKERS = (
    "key",
    "token",
    "secret",
    "passw",
    "session",
    "signature",
    "auth",
    "credential",
)
# Deeper than this, a body is scrubbed as its JSON text.
_DEPTH = 64

_secrets: dict[str, None] = {}
_forms: list[str] = []


def remember(*values: Any) -> None:
    """Treat each string in ``values`` as a secret from now on."""
    for value in values:
        if not isinstance(value, str) or len(value) < MIN_LENGTH:
            continue
        if value in _secrets:
            continue
        _secrets[value] = None
        if len(_secrets) > KEPT:
            del _secrets[next(iter(_secrets))]
        _forms.clear()


def remember_credentials(entry: Mapping[str, Any]) -> None:
    """The secret values of a credentials object (``token``, ``password``...)."""
    remember(*(entry.get(key) for key in CREDENTIAL_KEYS))


def sensitive(name: str) -> bool:
    """True for a header, query or cookie name that usually carries a secret."""
    lowered = name.lower()
    for marker in _MARKERS:
        if marker in lowered:
            return True
    return False


def remember_request(
    headers: Mapping[str, str],
    query: Mapping[Any, Any],
    cookies: Mapping[Any, Any],
) -> None:
    """The credentials among what one request sends."""
    for name, value in headers.items():
        if not sensitive(name) and name.lower() != "cookie":
            continue
        lowered = name.lower()
        if lowered in _AUTH_HEADERS:
            _authorization(value)
        elif lowered == "cookie":
            for part in value.split(";"):
                remember(part.partition("=")[2].strip())
        else:
            remember(value)
    for name, value in query.items():
        if isinstance(name, str) and sensitive(name):
            remember(value)
    if cookies:
        remember(*cookies.values())


def _authorization(value: str) -> None:
    if value in _secrets:
        return
    remember(value)
    scheme, _, credential = value.strip().partition(" ")
    credential = credential.strip()
    remember(credential)
    if scheme.lower() != "basic" or not credential:
        return
    import base64
    import binascii

    try:
        pair = base64.b64decode(credential, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return
    remember(pair, pair.partition(":")[2])


def _encoded(secret: str) -> Iterable[str]:
    import base64
    import json
    from urllib.parse import quote, quote_plus

    yield secret
    yield quote(secret, safe="")
    yield quote(secret)
    yield quote_plus(secret)
    try:
        raw = secret.encode("utf-8")
    except UnicodeEncodeError:
        return
    yield base64.b64encode(raw).decode("ascii")
    yield base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
    yield json.dumps(secret)[1:-1]
    yield json.dumps(secret, ensure_ascii=False)[1:-1]


def _all_forms() -> list[str]:
    if not _forms and _secrets:
        found = {form for s in _secrets for form in _encoded(s)}
        _forms.extend(
            sorted((f for f in found if len(f) >= MIN_LENGTH), key=len, reverse=True)
        )
    return _forms


def scrub_text(text: str) -> str:
    """``text`` with every remembered secret (in any known form) replaced by ``***``."""
    for form in _all_forms():
        if form in text:
            text = text.replace(form, MASK)
    return text


def _mentioned(value: Any) -> bool:
    """Whether any secret may be in ``value`` (one scan of its JSON text)."""
    import json

    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (RecursionError, ValueError):
        return True
    return any(form in text for form in _all_forms())


def scrub(value: Any, depth: int = 0) -> Any:
    """A copy of a JSON-like value with secrets scrubbed from every string."""
    if not _secrets:
        return value
    if isinstance(value, str):
        return scrub_text(value)
    if not isinstance(value, (dict, list, tuple)):
        return value
    if depth == 0 and not _mentioned(value):
        return value
    if depth > _DEPTH:
        import json

        try:
            return scrub_text(json.dumps(value, default=str))
        except (RecursionError, ValueError):
            return MASK
    if isinstance(value, dict):
        return {scrub(k, depth + 1): scrub(v, depth + 1) for k, v in value.items()}
    return [scrub(v, depth + 1) for v in value]


def forget() -> None:
    """Forget every remembered secret (for tests)."""
    _secrets.clear()
    _forms.clear()
