"""The one pipeline every invocation runs, on every platform.

context -> decoder (user-registered decoders first) -> decode -> the shared semantics
(:mod:`faaskit._run`) -> encode -> end-of-invocation callbacks (:mod:`faaskit._finish`).
Each cloud supplies only an :class:`~faaskit.adapter.Adapter` and its decoders; the modules
that implement them are named in :data:`ADAPTERS`, the one place the core names a cloud, and
imported on the first invocation from that cloud.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from faaskit._context import Context, local_context
from faaskit._finish import finish, pending
from faaskit._run import arun, error_response, run
from faaskit.exceptions import HTTPError, UnsupportedEventError

if TYPE_CHECKING:
    from faaskit._handler import Handler
    from faaskit.adapter import Adapter, Decoder

__all__ = [
    "ADAPTERS",
    "adapter",
    "ainvoke",
    "call",
    "error_response",
    "invoke",
    "native_entry",
    "register_decoder",
    "unregister_decoder",
    "unsupported",
]

ADAPTERS = {"aws": "faaskit_aws.adapter", "azure": "faaskit_azure.adapter"}
"""Platform name -> the module that is its :class:`~faaskit.adapter.Adapter`."""

NATIVE_JSON = "aws"
"""The platform whose runtime calls ``handler(event, context)`` with a JSON event."""

PLATFORMS = tuple(ADAPTERS)

_loaded: dict[str, Adapter] = {}
_user: dict[str, list[Decoder]] = {p: [] for p in PLATFORMS}

D = TypeVar("D", bound="Decoder")


def adapter(platform: str) -> Adapter:
    """The adapter of ``platform``, imported on first use."""
    try:
        return _loaded[platform]
    except KeyError:
        pass
    loaded: Adapter = importlib.import_module(ADAPTERS[platform])
    _loaded[platform] = loaded
    return loaded


def register_decoder(decoder: D, *, platform: str = "aws") -> D:
    """Add a decoder for ``platform``, tried before the built-in ones (latest first)."""
    if platform not in _user:
        raise ValueError(f"unknown platform {platform!r}; use one of {PLATFORMS}")
    _user[platform].insert(0, decoder)
    return decoder


def unregister_decoder(decoder: Decoder, *, platform: str = "aws") -> None:
    """Remove a decoder added with :func:`register_decoder`."""
    _user[platform].remove(decoder)


def unsupported(raw: Any, platform: str, source: str) -> UnsupportedEventError:
    """The error for an event no decoder of ``platform`` recognises, sent by ``source``."""
    shape = type(raw).__name__
    if isinstance(raw, dict):
        keys = ", ".join(sorted(map(str, raw))[:8]) or "no keys"
        shape = f"object with {keys}"
    return UnsupportedEventError(
        f"faaskit cannot normalize this {platform} event (source: {source}; got {shape}); "
        "declare the handler with raw=True to receive it untouched, or register a decoder",
        source=source,
    )


def _decoder(cloud: Adapter, raw: Any, bound: Decoder | None) -> Decoder:
    """The decoder for ``raw``: user-registered decoders that recognise it come first, then
    the one the function is bound to, else the adapter's choice.
    """
    for user in _user[cloud.platform]:
        if user.recognise(raw):
            return user
    return bound if bound is not None else cloud.decoder(raw)


def invoke(
    cloud: Adapter, handler: Handler, raw: Any, native: Any, decoder: Decoder | None = None
) -> Any:
    """Run ``handler`` for one invocation from ``cloud`` and return the native response.

    ``native`` is the platform's context object (None outside the cloud); ``decoder`` is the
    decoder a registered function is bound to (Azure), else the adapter picks one per event.
    """
    # Outside the cloud (a script, a test) there is no native context.
    ctx = local_context(handler.name) if native is None else cloud.context(native, handler.name)
    try:
        result = _once(cloud, handler, raw, ctx, decoder)
    except BaseException as exc:
        if pending:
            finish(ctx, exc)
        raise
    if pending:
        finish(ctx)
    return result


def _once(cloud: Adapter, handler: Handler, raw: Any, ctx: Context, decoder: Decoder | None) -> Any:
    if handler.raw:
        return cloud.raw_result(handler.call(raw, ctx), raw, decoder)
    if _user[cloud.platform]:
        decoder = _decoder(cloud, raw, decoder)
    elif decoder is None:
        decoder = cloud.decoder(raw)
    try:
        portable = decoder.decode(raw, ctx)
    except HTTPError as exc:
        return decoder.encode(error_response(exc), raw)
    return decoder.encode(
        run(handler, portable, ctx, source=decoder.source, report=cloud.report), raw
    )


async def ainvoke(
    cloud: Adapter, handler: Handler, raw: Any, native: Any, decoder: Decoder | None = None
) -> Any:
    """:func:`invoke` for an async ``handler``, awaited on the running event loop."""
    # Outside the cloud (a script, a test) there is no native context.
    ctx = local_context(handler.name) if native is None else cloud.context(native, handler.name)
    try:
        result = await _aonce(cloud, handler, raw, ctx, decoder)
    except BaseException as exc:
        if pending:
            finish(ctx, exc)
        raise
    if pending:
        finish(ctx)
    return result


async def _aonce(
    cloud: Adapter, handler: Handler, raw: Any, ctx: Context, decoder: Decoder | None
) -> Any:
    if handler.raw:
        return cloud.raw_result(await handler.acall(raw, ctx), raw, decoder)
    if _user[cloud.platform]:
        decoder = _decoder(cloud, raw, decoder)
    elif decoder is None:
        decoder = cloud.decoder(raw)
    try:
        portable = decoder.decode(raw, ctx)
    except HTTPError as exc:
        return decoder.encode(error_response(exc), raw)
    result = await arun(handler, portable, ctx, source=decoder.source, report=cloud.report)
    return decoder.encode(result, raw)


def call(handler: Handler, event: Any, ctx: Context | None) -> Any:
    """A direct call with a portable event (unit tests): the function, then the callbacks."""
    if ctx is None:
        ctx = local_context(handler.name)
    try:
        result = handler.call(event, ctx)
    except BaseException as exc:
        finish(ctx, exc)
        raise
    finish(ctx)
    return result


def native_entry() -> Callable[[Handler, Any, Any], Any]:
    """``entry(handler, event, context)`` for the runtime that calls handlers with JSON."""
    import functools

    return functools.partial(invoke, adapter(NATIVE_JSON))
