"""Resolve pre-/postprocessor references and the optional ``auth_hooks``.

References are dotted strings such as ``"mypkg.hooks.add_header"`` (or
``"mypkg.hooks:add_header"``).  Each is imported once per process and
cached.  ``auth_hooks`` is a module that the authentication feature may put
on ``sys.path``; whether it exists is also looked up only once.
"""

from __future__ import annotations

from picorun.errors import HookImportError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from picorun.request import RequestArgs
    from picorun.types import Hook

_RESOLVED: dict[str, Hook] = {}
_UNSET: Any = object()
_auth: Any = _UNSET


def resolve(reference: str | Hook | None) -> Hook | None:
    """Return the callable named by ``reference`` (callables pass through)."""
    if reference is None or callable(reference):
        return reference
    hook = _RESOLVED.get(reference)
    if hook is None:
        hook = _RESOLVED[reference] = _import(reference)
    return hook


def _import(reference: str) -> Hook:
    import importlib

    text = str(reference).strip()
    if ":" in text:
        module_name, _, attribute = text.partition(":")
    else:
        module_name, _, attribute = text.rpartition(".")
    if not module_name or not attribute:
        raise HookImportError(
            f"invalid hook reference {text!r}: expected 'package.module.function'"
        )
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise HookImportError(f"cannot import hook {text!r}: {exc}") from exc
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise HookImportError(
                f"cannot import hook {text!r}: {module_name!r} has no {attribute!r}"
            ) from None
    if not callable(target):
        raise HookImportError(f"hook {text!r} is not callable")
    hook: Hook = target
    return hook


def apply(hook: Hook, args: RequestArgs) -> RequestArgs:
    """Call a request hook.

    It may return a new RequestArgs, a dict of attributes to change
    (``{"headers": {...}, "query": {...}}``), or None to use the mutated ``args``.
    """
    result = hook(args)
    if result is None:
        return args
    if isinstance(result, dict):
        return _replace(args, result)
    return result  # type: ignore[no-any-return]


_ARG_KEYS = ("method", "path", "query", "payload", "headers", "cookies", "server_url")


def _replace(args: RequestArgs, changes: dict[str, Any]) -> RequestArgs:
    """A copy of ``args`` with ``changes`` (attribute name -> value) applied."""
    from picorun.request import RequestArgs

    copy = RequestArgs(args.endpoint, args.method, args.path, args.query, args.payload)
    copy.headers, copy.cookies = dict(args.headers), dict(args.cookies)
    copy.server_url, copy.timeout = args.server_url, args.timeout
    for key, value in changes.items():
        if key == "timeout":
            copy.timeout = float(value)
            continue
        if key not in _ARG_KEYS:
            from picorun.errors import InvalidParameterError

            keys = ", ".join((*_ARG_KEYS, "timeout"))
            raise InvalidParameterError(
                f"a preprocessor returned an unknown key {key!r} (use {keys})"
            )
        if key in ("path", "query", "headers", "cookies"):
            value = dict(value or {})
        setattr(copy, key, value)
    return copy


def auth_module() -> Any:
    """Return the ``auth_hooks`` module, or None when it is not installed."""
    global _auth
    if _auth is _UNSET:
        import importlib

        try:
            _auth = importlib.import_module("auth_hooks")
        except ModuleNotFoundError as exc:
            if exc.name != "auth_hooks":
                raise
            _auth = None
    return _auth


def clear_cache() -> None:
    """Forget resolved hooks and the ``auth_hooks`` lookup (for tests)."""
    global _auth
    _RESOLVED.clear()
    _auth = _UNSET
