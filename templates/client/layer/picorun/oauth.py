"""OAuth2 access tokens for the generated authentication.

What a scheme's credentials hold decides the grant:

- ``access_token`` alone: a fixed token, sent as it is;
- ``refresh_token``: the ``refresh_token`` grant (a rotated refresh token
  the server returns is handed to ``write_back``);
- ``username`` and ``password``: the ``password`` grant;
- otherwise ``client_id`` and ``client_secret``: ``client_credentials``.

The token endpoint is the credentials' ``token_url``, else the spec's, else
the ``token_endpoint`` of the OpenID Connect discovery document.  Tokens are
cached for their lifetime, at most ``ttl`` seconds.
"""

from __future__ import annotations

import base64
import json
import time
from urllib.parse import quote_plus, urlencode, urljoin

from picorun import redact
from picorun.credentials import MalformedCredentialsError, TokenRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    Scheme = Mapping[str, Any]
    Entry = Mapping[str, Any]

# An access token is renewed this long before it expires (at most this share of its life).
TOKEN_MARGIN = 30.0
TOKEN_MARGIN_SHARE = 0.1
#: Bytes of a token or discovery response read at most.
RESPONSE_LIMIT = 1024 * 1024

_tokens: dict[tuple[Any, ...], tuple[float, str]] = {}
_endpoints: dict[str, str] = {}


def forget() -> None:
    """Drop cached access tokens (the discovery documents stay)."""
    _tokens.clear()


def _text(entry: Entry, key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _send(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | None,
    timeout: float,
    label: str,
) -> tuple[int, Any]:
    from picorun import transport

    status, _headers, data = transport.send(
        method, url, headers, body, timeout, None, label, RESPONSE_LIMIT
    )
    try:
        answer: Any = json.loads(data.decode("utf-8")) if data else None
    except (ValueError, UnicodeDecodeError):
        answer = None
    return status, answer


def discover(url: str, timeout: float) -> str:
    """The token endpoint named by an OpenID Connect discovery document (cached)."""
    endpoint = _endpoints.get(url)
    if endpoint is not None:
        return endpoint
    label = f"GET OpenID Connect discovery document {url}"
    status, answer = _send(
        "GET", url, {"Accept": "application/json"}, None, timeout, label
    )
    if status != 200:
        raise TokenRequestError(f"{label} answered {status}")
    named = answer.get("token_endpoint") if isinstance(answer, dict) else None
    if not isinstance(named, str) or not named.strip():
        raise TokenRequestError(f"{label} has no token_endpoint")
    _endpoints[url] = endpoint = urljoin(url, named.strip())
    return endpoint


def token_endpoint(
    scheme: Scheme, entry: Entry, server_url: str | None, timeout: float, where: str
) -> str:
    """Where tokens for ``scheme`` come from; ``where`` names the parameter in errors."""
    url: str = _text(entry, "token_url") or scheme.get("token_url") or ""
    if not url and scheme.get("discovery_url"):
        discovery = urljoin(server_url or "", scheme["discovery_url"])
        url = discover(discovery, timeout)
    if not url:
        raise MalformedCredentialsError(
            f"{where}: the spec names no token URL for {scheme['scheme']}: add "
            "'token_url', or store a fixed 'access_token'"
        )
    return urljoin(server_url or "", url)


def _scope(scheme: Scheme, entry: Entry, default: bool = True) -> str:
    scopes = entry.get("scopes")
    if isinstance(scopes, str):
        return scopes.strip()
    if isinstance(scopes, list):
        return " ".join(str(s) for s in scopes)
    return str(scheme.get("scope", "")) if default else ""


def _grant(entry: Entry, scheme: Scheme) -> dict[str, str]:
    """(grant type, form) for what the credentials hold."""
    refresh = _text(entry, "refresh_token")
    if refresh:
        form: dict[str, str] = {"grant_type": "refresh_token", "refresh_token": refresh}
        scope = _scope(scheme, entry, default=False)
    elif _text(entry, "username") and _text(entry, "password"):
        form = {
            "grant_type": "password",
            "username": entry["username"],
            "password": entry["password"],
        }
        scope = _scope(scheme, entry)
    else:
        form = {"grant_type": "client_credentials"}
        scope = _scope(scheme, entry)
    if scope:
        form["scope"] = scope
    return form


def _client_auth(entry: Entry, form: dict[str, str], headers: dict[str, str]) -> None:
    client_id = _text(entry, "client_id")
    secret = _text(entry, "client_secret")
    if client_id and secret and entry.get("client_auth") != "body":
        pair = f"{quote_plus(client_id)}:{quote_plus(secret)}"
        basic = base64.b64encode(pair.encode()).decode("ascii")
        headers["Authorization"] = f"Basic {basic}"
    elif client_id:
        form["client_id"] = client_id
        if secret:
            form["client_secret"] = secret


def access_token(
    scheme: Scheme,
    entry: Entry,
    server_url: str | None,
    timeout: float,
    ttl: float,
    where: str,
    write_back: Callable[[str], Any] | None = None,
) -> str:
    """The access token to send for ``scheme``, fetched once and reused."""
    redact.remember_credentials(entry)
    fixed = _text(entry, "access_token")
    if fixed and not _text(entry, "refresh_token"):
        return fixed
    url = token_endpoint(scheme, entry, server_url, timeout, where)
    form = _grant(entry, scheme)
    if form["grant_type"] == "client_credentials" and not (
        _text(entry, "client_id") and _text(entry, "client_secret")
    ):
        raise MalformedCredentialsError(
            f"{where} lacks the credentials of {scheme['scheme']}: expected "
            "'refresh_token', 'access_token', or 'client_id' and 'client_secret'"
        )
    key = (
        scheme["scheme"],
        url,
        form["grant_type"],
        entry.get("client_id"),
        form.get("scope"),
    )
    now = time.monotonic()
    cached = _tokens.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
    }
    _client_auth(entry, form, headers)
    label = f"POST token endpoint of {scheme['scheme']}"
    token, expires_in, rotated = _request(url, form, headers, timeout, label)
    redact.remember(token, rotated)
    if expires_in is not None:
        margin = min(TOKEN_MARGIN, expires_in * TOKEN_MARGIN_SHARE)
        lifetime = min(max(expires_in - margin, 0), ttl)
    else:
        lifetime = ttl
    if lifetime > 0:
        _tokens[key] = (now + lifetime, token)
    renewed = form["grant_type"] == "refresh_token" and rotated != form.get(
        "refresh_token"
    )
    if rotated and renewed and write_back is not None:
        write_back(rotated)
    return token


def _request(
    url: str, form: dict[str, str], headers: dict[str, str], timeout: float, label: str
) -> tuple[str, float | None, str | None]:
    body = urlencode(form).encode("ascii")
    status, answer = _send("POST", url, headers, body, timeout, label)
    if status != 200:
        error = answer.get("error") if isinstance(answer, dict) else None
        if isinstance(error, str):
            error = redact.scrub_text(error)
        known = isinstance(error, str) and error.isprintable() and len(error) <= 100
        detail = f" ({error})" if known else ""
        raise TokenRequestError(
            f"{label} answered {status}{detail}", error if known else None
        )
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise TokenRequestError(f"{label} answered without an access_token")
    expires_in = answer.get("expires_in")
    if isinstance(expires_in, str) and expires_in.strip().isdigit():
        expires_in = int(expires_in)
    if not isinstance(expires_in, (int, float)) or isinstance(expires_in, bool):
        expires_in = None
    rotated = answer.get("refresh_token")
    return token, expires_in, rotated if isinstance(rotated, str) and rotated else None
