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

from faaskit._context import Context
from faaskit._dispatch import Decoder, _user
from faaskit._http import HttpRequest
from faaskit._invoke import _routed, check_kind, error_response, internal_error, run
from faaskit._response import Response, to_response
from faaskit.exceptions import HTTPError, MethodNotAllowedError
from faaskit_azure.context import from_azure

__all__ = ["ainvoke", "arun", "entry", "invoke"]


def _decoder(decoder: Decoder, raw: Any) -> Decoder:
    for user in _user["azure"]:
        if user.recognise(raw):
            return user
    return decoder


def _raw_result(decoder: Decoder, result: Any, raw: Any) -> Any:
    finish = getattr(decoder, "encode_raw", None)
    return finish(result, raw) if finish is not None else result


def invoke(handler: Any, decoder: Decoder, raw: Any, azure_context: Any) -> Any:
    """Run a sync ``handler`` on the binding value ``raw``; return the native result."""
    ctx = from_azure(azure_context, handler.name)
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
    if handler.raw:
        return _raw_result(decoder, await handler.acall(raw, ctx), raw)
    decoder = _decoder(decoder, raw)
    try:
        portable = decoder.decode(raw, ctx)
    except HTTPError as exc:
        return decoder.encode(error_response(exc), raw)
    return decoder.encode(await arun(handler, portable, ctx, source=decoder.source), raw)


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


async def arun_http(handler: Any, request: HttpRequest, ctx: Context) -> Response:
    """``faaskit._invoke.run_http`` for an async handler."""
    trigger = handler.trigger
    try:
        if trigger is not None:
            if not trigger.allows(request.method):
                raise MethodNotAllowedError(
                    f"{request.method} is not allowed on {trigger.route}",
                    headers={"Allow": ", ".join(trigger.methods)},
                )
            if request.route != trigger.route:
                request = _routed(trigger, request)
        return to_response(await handler.acall(request, ctx))
    except HTTPError as exc:
        return error_response(exc)
    except Exception:
        ctx.log.exception("handler %s failed on %s %s", handler.name, request.method, request.path)
        return internal_error(ctx)


async def _arun_batch(handler: Any, batch: Any, ctx: Context) -> Any:
    from faaskit._events import BatchResult, RecordBatch

    if getattr(handler.trigger, "batch", False):
        result = await handler.acall(batch, ctx)
        return result if isinstance(result, BatchResult) else BatchResult()
    stream = isinstance(batch, RecordBatch)
    first: BaseException | None = None
    for item in batch.records if stream else batch.messages:
        try:
            await handler.acall(item, ctx)
        except Exception as exc:
            ctx.log.exception("handler %s failed on %s", handler.name, item.id)
            first = first or exc
            if stream:
                break
    if first is not None:
        raise first
    return BatchResult()


async def arun(handler: Any, event: Any, ctx: Context, *, source: str) -> Any:
    """``faaskit._invoke.run`` (with ``report=False``) for an async handler."""
    if type(event) is HttpRequest:
        if handler.trigger is not None and handler.trigger.kind != "http":
            check_kind(handler, event, source)
        return await arun_http(handler, event, ctx)
    if type(event).__name__ in ("MessageBatch", "RecordBatch"):
        check_kind(handler, event, source)
        return await _arun_batch(handler, event, ctx)
    if isinstance(event, tuple):
        return [await arun(handler, item, ctx, source=source) for item in event]
    check_kind(handler, event, source)
    return await handler.acall(event, ctx)
