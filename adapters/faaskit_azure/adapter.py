"""The body of every Azure wrapper function: decode, run, encode.

A registered function knows its trigger, so each wrapper is bound to one decoder (user
decoders registered with ``register_decoder(..., platform="azure")`` that recognise the
object still come first). Failures raise so the platform retries (``report=False``): Azure
has no partial-batch response. Async handlers run on the worker's own event loop through
:func:`ainvoke`, the async twin of :func:`invoke`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from faaskit._dispatch import Decoder, _user
from faaskit._finish import finish, pending
from faaskit._run import arun, error_response, run
from faaskit.exceptions import HTTPError
from faaskit_azure.context import from_azure

__all__ = ["ainvoke", "entry", "invoke"]


def _decoder(decoder: Decoder, raw: Any) -> Decoder:
    for user in _user["azure"]:
        if user.recognise(raw):
            return user
    return decoder


def _raw_result(decoder: Decoder, result: Any, raw: Any) -> Any:
    """HTTP: the native response. Other triggers have no ``$return`` binding, and the worker
    fails an invocation whose function returns a value there, so the result is dropped.
    """
    finish = getattr(decoder, "encode_raw", None)
    return finish(result, raw) if finish is not None else None


def invoke(handler: Any, decoder: Decoder, raw: Any, azure_context: Any) -> Any:
    """Run a sync ``handler`` on the binding value ``raw``; return the native result."""
    ctx = from_azure(azure_context, handler.name)
    try:
        result = _invoke(handler, decoder, raw, ctx)
    except BaseException as exc:
        if pending:
            finish(ctx, exc)
        raise
    if pending:
        finish(ctx)
    return result


def _invoke(handler: Any, decoder: Decoder, raw: Any, ctx: Any) -> Any:
    if handler.raw:
        return _raw_result(decoder, handler.call(raw, ctx), raw)
    decoder = _decoder(decoder, raw)
    try:
        portable = decoder.decode(raw, ctx)
    except HTTPError as exc:
        return decoder.encode(error_response(exc), raw)
    return decoder.encode(run(handler, portable, ctx, source=decoder.source, report=False), raw)


async def ainvoke(handler: Any, decoder: Decoder, raw: Any, azure_context: Any) -> Any:
    """:func:`invoke` for an async ``handler``, awaited on the running event loop."""
    ctx = from_azure(azure_context, handler.name)
    try:
        result = await _ainvoke(handler, decoder, raw, ctx)
    except BaseException as exc:
        if pending:
            finish(ctx, exc)
        raise
    if pending:
        finish(ctx)
    return result


async def _ainvoke(handler: Any, decoder: Decoder, raw: Any, ctx: Any) -> Any:
    if handler.raw:
        return _raw_result(decoder, await handler.acall(raw, ctx), raw)
    decoder = _decoder(decoder, raw)
    try:
        portable = decoder.decode(raw, ctx)
    except HTTPError as exc:
        return decoder.encode(error_response(exc), raw)
    result = await arun(handler, portable, ctx, source=decoder.source, report=False)
    return decoder.encode(result, raw)


def entry(handler: Any, decoder: Decoder, param: str) -> Callable[..., Any]:
    """The ``call`` for :func:`faaskit_azure.wrapper.make_wrapper`: takes the binding named
    ``param`` and ``context`` as keywords; a coroutine function when ``handler`` is async.
    """
    if handler.is_async:

        async def acall(context: Any = None, **bindings: Any) -> Any:
            return await ainvoke(handler, decoder, bindings[param], context)

        return acall

    def call(context: Any = None, **bindings: Any) -> Any:
        return invoke(handler, decoder, bindings[param], context)

    return call
