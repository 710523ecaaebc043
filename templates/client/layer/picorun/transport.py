"""Send one HTTP request with urllib and decode the response.

Imported lazily on the first invoke, so it may import urllib.request,
http.client and friends at module level.
"""

import base64
import http.client
import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from picorun import __version__
from picorun.encoding import _charset, find_header, is_json, media_type
from picorun.errors import ApiConnectionError, ApiTimeoutError

USER_AGENT = f"picorun/{__version__}"

_TEXT_MARKERS = (
    "json",
    "xml",
    "javascript",
    "ecmascript",
    "yaml",
    "csv",
    "x-www-form-urlencoded",
    "graphql",
)

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url):
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return (
        scheme,
        (parts.hostname or "").lower(),
        parts.port or _DEFAULT_PORTS.get(scheme),
    )


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to the same origin.

    A redirect to another host would carry the request's credentials along;
    such a 3xx response is returned to the caller instead.
    """

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if _origin(req.full_url) != _origin(newurl):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_default_opener = None


def _opener(ssl_context):
    global _default_opener
    if ssl_context is not None:
        return urllib.request.build_opener(
            _SameOriginRedirects, urllib.request.HTTPSHandler(context=ssl_context)
        )
    if _default_opener is None:
        _default_opener = urllib.request.build_opener(_SameOriginRedirects)
    return _default_opener


def send(method, url, headers, body, timeout, ssl_context=None, label=None):
    """Send the request; return ``(status, headers, raw_body)``.

    HTTP error statuses are returned, not raised.  Network failures raise
    :class:`ApiConnectionError`, timeouts :class:`ApiTimeoutError`.  Error
    messages use ``label`` (method and path template), never the URL.
    """
    label = label or method
    headers = dict(headers)
    if find_header(headers, "User-Agent") is None:
        headers["User-Agent"] = USER_AGENT
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        try:
            response = _opener(ssl_context).open(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            status = response.code
            raw_headers = list(response.headers.items()) if response.headers else []
            data = response.read()
    except urllib.error.HTTPError:
        raise
    except urllib.error.URLError as exc:
        raise _network_error(exc.reason, label, timeout) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _network_error(exc, label, timeout) from exc
    return status, raw_headers, data


def _network_error(reason, label, timeout):
    if isinstance(reason, TimeoutError):
        return ApiTimeoutError(f"{label} timed out after {timeout:g} s")
    if isinstance(reason, BaseException):
        detail = f"{type(reason).__name__}: {reason}"
    else:
        detail = str(reason)
    return ApiConnectionError(f"{label} failed: {detail}")


def merge_headers(raw_headers):
    """Lower-case header names; repeated headers are joined with ", "."""
    merged = {}
    for name, value in raw_headers:
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


def _is_text(media):
    return media.startswith("text/") or any(m in media for m in _TEXT_MARKERS)


def decode_body(data, headers):
    """Return ``(body, is_base64)`` for raw response bytes.

    JSON types are parsed (text is returned if parsing fails), textual types
    are decoded, binary types become a base64 string.  Without a
    Content-Type, valid UTF-8 is returned as text and anything else as base64.
    """
    if not data:
        return None, False
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        data = _decompress(data, encoding)
    content_type = headers.get("content-type", "")
    media = media_type(content_type)
    if not media:
        try:
            return data.decode("utf-8"), False
        except UnicodeDecodeError:
            return base64.b64encode(data).decode("ascii"), True
    if not _is_text(media):
        return base64.b64encode(data).decode("ascii"), True
    text = data.decode(_charset(content_type), "replace")
    if is_json(content_type):
        try:
            return json.loads(text), False
        except ValueError:
            return text, False
    return text, False


def _decompress(data, encoding):
    import zlib

    try:
        if encoding == "deflate":
            try:
                return zlib.decompress(data)
            except zlib.error:
                return zlib.decompress(data, -zlib.MAX_WBITS)
        return zlib.decompress(data, 16 + zlib.MAX_WBITS)
    except zlib.error:
        return data


def to_result(status, raw_headers, data):
    """Build the handler result dict."""
    headers = merge_headers(raw_headers)
    body, is_base64 = decode_body(data, headers)
    result = {"statusCode": status, "headers": headers, "body": body}
    if is_base64:
        result["isBase64Encoded"] = True
    return result
