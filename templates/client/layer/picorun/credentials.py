"""Credentials kept as JSON in SSM Parameter Store or Secrets Manager.

``load`` reads one parameter (or secret) with boto3 and keeps the decoded
object in memory for a time-to-live; ``save`` writes a changed object back
(a rotated OAuth2 refresh token) and ``forget`` drops what is cached.
Messages never hold secret values.
"""

from __future__ import annotations

import json
import os
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

STORES = ("ssm", "secretsmanager")
KEY_ENV = "PICORUN_CREDENTIALS_KEY_ID"


class CredentialsError(Exception):
    """Credentials could not be read or used.  Messages never hold secret values."""


class CredentialsNotFoundError(CredentialsError):
    """The parameter (or secret) holding the credentials does not exist."""


class MalformedCredentialsError(CredentialsError):
    """The parameter does not hold the JSON object the scheme needs."""


class TokenRequestError(CredentialsError):
    """The OAuth2 token endpoint did not issue an access token.

    ``error`` is the OAuth2 error code it answered with (``invalid_grant``), if any.
    """

    def __init__(self, message: str, error: str | None = None) -> None:
        super().__init__(message)
        self.error = error


_clients: dict[str, Any] = {}
_cache: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}


def describe(store: str, name: str) -> str:
    """How messages name a credential: 'SSM parameter /x' or 'secret /x'."""
    return f"secret {name}" if store == "secretsmanager" else f"SSM parameter {name}"


def _botocore() -> tuple[Any, Any]:
    """botocore's exceptions and config modules (imported lazily, untyped)."""
    import importlib

    return (
        importlib.import_module("botocore.exceptions"),
        importlib.import_module("botocore.config"),
    )


def quiet_botocore() -> None:
    """Keep botocore and boto3 at WARNING or above.

    At DEBUG botocore logs every response body, the decrypted parameter
    value included; a function whose log level is DEBUG (Lambda's
    ``AWS_LAMBDA_LOG_LEVEL``, a root logger set to DEBUG) would write the
    credentials to CloudWatch.  A level set above WARNING is kept.
    """
    import logging

    for name in ("botocore", "boto3", "urllib3"):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)


def _client(store: str) -> Any:
    import importlib

    quiet_botocore()
    client = _clients.get(store)
    if client is None:
        try:
            boto3 = importlib.import_module("boto3")
            exceptions, config_module = _botocore()
        except ImportError as exc:
            raise CredentialsError(
                f"boto3 is needed to read credentials: {exc}"
            ) from None
        config = config_module.Config(
            connect_timeout=5, read_timeout=10, retries={"mode": "standard"}
        )
        try:
            client = _clients[store] = boto3.client(store, config=config)
        except exceptions.BotoCoreError as exc:
            raise CredentialsError(
                f"cannot create the {store} client: {type(exc).__name__}: {exc}"
            ) from None
    return client


def _failure(
    store: str, name: str, verb: str, exc: Exception, expected: str
) -> CredentialsError:
    """The named error for a botocore exception (no values in it)."""
    exceptions, _config = _botocore()
    what = describe(store, name)
    if not isinstance(exc, exceptions.ClientError):
        return CredentialsError(f"cannot {verb} {what}: {type(exc).__name__}: {exc}")
    response: dict[str, Any] = getattr(exc, "response", None) or {}
    error = response.get("Error", {})
    code = error.get("Code", "ClientError")
    if code in ("ParameterNotFound", "ParameterVersionNotFound"):
        return CredentialsNotFoundError(
            f"{what} does not exist: store a SecureString holding a JSON object "
            f"with {expected}"
        )
    if code == "ResourceNotFoundException":
        return CredentialsNotFoundError(
            f"{what} does not exist or has no value yet: store a JSON object with "
            f"{expected} "
            "(aws secretsmanager put-secret-value)"
        )
    message = str(error.get("Message") or "")[:300]
    detail = f"{code}: {message}" if message else code
    return CredentialsError(f"cannot {verb} {what}: {detail}")


def _read(store: str, name: str, expected: str) -> Any:
    exceptions, _config = _botocore()
    client = _client(store)
    try:
        if store == "secretsmanager":
            return client.get_secret_value(SecretId=name).get("SecretString")
        response = client.get_parameter(Name=name, WithDecryption=True)
    except (exceptions.BotoCoreError, exceptions.ClientError) as exc:
        raise _failure(store, name, "read", exc, expected) from None
    return (response.get("Parameter") or {}).get("Value")


def _decode(
    store: str, name: str, text: Any, expected: str, placeholder: str | None
) -> dict[str, Any]:
    what = describe(store, name)
    if not isinstance(text, str):
        raise MalformedCredentialsError(f"{what} has no value")
    if placeholder and text.strip() == placeholder:
        raise MalformedCredentialsError(
            f"{what} still holds the placeholder Terraform wrote: store a JSON "
            f"object with {expected} "
            "(aws ssm put-parameter --overwrite)"
        )
    try:
        value: Any = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise MalformedCredentialsError(
            f"{what} does not hold a JSON object: expected {expected}"
        )
    return value


def load(
    store: str,
    name: str,
    ttl: float,
    expected: str,
    placeholder: str | None = None,
    fresh: bool = False,
) -> dict[str, Any]:
    """The JSON object stored under ``name``, from memory while younger than ``ttl`` s.

    ``expected`` names the keys for error messages ("the keys 'token'"); ``fresh`` skips
    the cache (used before writing back).
    """
    now = time.monotonic()
    cached = _cache.get((store, name))
    if not fresh and cached is not None and cached[0] > now:
        return cached[1]
    value = _decode(store, name, _read(store, name, expected), expected, placeholder)
    if ttl > 0:
        _cache[(store, name)] = (now + ttl, value)
    return value


def save(store: str, name: str, value: dict[str, Any], ttl: float) -> None:
    """Write ``value`` (a JSON object) back to ``name`` and cache it."""
    exceptions, _config = _botocore()
    client = _client(store)
    text = json.dumps(value, separators=(",", ":"))
    try:
        if store == "secretsmanager":
            client.put_secret_value(SecretId=name, SecretString=text)
        else:
            request: dict[str, Any] = {
                "Name": name,
                "Value": text,
                "Type": "SecureString",
                "Overwrite": True,
            }
            key = os.environ.get(KEY_ENV, "").strip()
            if key:
                request["KeyId"] = key
            client.put_parameter(**request)
    except (exceptions.BotoCoreError, exceptions.ClientError) as exc:
        raise _failure(store, name, "write", exc, "its keys") from None
    if ttl > 0:
        _cache[(store, name)] = (time.monotonic() + ttl, value)


def drop(store: str, name: str) -> None:
    """Forget one cached object (it failed a check)."""
    _cache.pop((store, name), None)


def forget() -> None:
    """Forget every cached object."""
    _cache.clear()
