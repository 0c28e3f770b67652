"""What happens between a decoded event and the handler: the semantics both clouds share.

- HTTP: return values become a :class:`Response`; ``HTTPError`` becomes its response; any other
  exception becomes a 500 JSON body with the request id and no traceback (logged instead).
- Batches: each message runs on its own and the failures are reported (AWS), or the first
  failure is raised after the rest have run (platforms that retry the whole delivery).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from faaskit._context import Context
from faaskit._handler import _run_coroutine
from faaskit._http import HttpRequest
from faaskit._response import Response, to_response
from faaskit._routes import Http
from faaskit.exceptions import (
    HTTPError,
    MethodNotAllowedError,
    NotFoundError,
    TriggerMismatchError,
)

if TYPE_CHECKING:
    from faaskit._events import BatchResult, MessageBatch, RecordBatch

__all__ = ["error_response", "run", "run_http"]

_KINDS = {
    "HttpRequest": "http",
    "BlobEvent": "blob",
    "Message": "message",
    "MessageBatch": "message",
    "Record": "stream",
    "RecordBatch": "stream",
    "ScheduleEvent": "schedule",
    "CloudEvent": "event",
}


def _kind(event: Any) -> str:
    if type(event).__module__.startswith("faaskit."):
        return _KINDS.get(type(event).__name__, "unknown")
    return "unknown"


def check_kind(handler: Any, event: Any, source: str) -> None:
    """Refuse an event whose kind is not the one the handler's trigger declares."""
    trigger = handler.trigger
    if trigger is None:
        return
    got = _kind(event)
    if got != trigger.kind:
        raise TriggerMismatchError(
            f"handler {handler.name!r} is declared for {trigger.kind} events "
            f"({type(trigger).__name__.lower()}) but received a {got} event from {source}",
            source=source,
            expected=trigger.kind,
            got=got,
        )


def error_response(exc: HTTPError) -> Response:
    """The response an :class:`HTTPError` stands for."""
    return Response.json({"message": exc.message}, status=exc.status, headers=exc.headers)


def internal_error(ctx: Context) -> Response:
    """The 500 response: the request id, never a traceback."""
    return Response.json(
        {"message": "Internal Server Error", "request_id": ctx.request_id}, status=500
    )


def run_http(handler: Any, request: HttpRequest, ctx: Context) -> Response:
    """Run an HTTP handler; always returns a :class:`Response`."""
    trigger = handler.trigger
    try:
        if trigger is not None:
            if trigger.methods[0] != "ANY" and request.method not in trigger.methods:
                raise MethodNotAllowedError(
                    f"{request.method} is not allowed on {trigger.route}",
                    headers={"Allow": ", ".join(trigger.methods)},
                )
            if request.route is None or (trigger.params and not request.path_params):
                request = _routed(trigger, request)
        result = handler.func(request, ctx)
        if handler.is_async:
            result = _run_coroutine(result)
        return to_response(result)
    except HTTPError as exc:
        return error_response(exc)
    except Exception:
        ctx.log.exception("handler %s failed on %s %s", handler.name, request.method, request.path)
        return internal_error(ctx)


def _routed(trigger: Http, request: HttpRequest) -> HttpRequest:
    """``request`` with the declared route and the path parameters the route template gives."""
    params = trigger.match(request.path)
    if params is None and trigger.params and not request.path_params:
        raise NotFoundError(f"{request.path} does not match {trigger.route}")
    return attrs.evolve(
        request, route=trigger.route, path_params={**(params or {}), **request.path_params}
    )


def run_batch(
    handler: Any, batch: MessageBatch | RecordBatch, ctx: Context, *, report: bool
) -> BatchResult:
    """Run a handler over a batch.

    Per item unless the trigger asked for the whole batch. With ``report``, failures are
    returned as a :class:`BatchResult`: a FIFO queue reports the failing message and every later
    one; a stream stops at the first failing record and reports it alone. Without ``report`` every
    item still runs (streams stop at the first failure) and the first exception is raised after.
    """
    from faaskit._events import BatchResult, MessageBatch, RecordBatch

    trigger = handler.trigger
    if getattr(trigger, "batch", False):
        result = handler.call(batch, ctx)
        return result if isinstance(result, BatchResult) else BatchResult()
    items: Sequence[Any] = batch.messages if isinstance(batch, MessageBatch) else batch.records
    ordered = isinstance(batch, RecordBatch) or batch.fifo
    failed: list[str] = []
    first: BaseException | None = None
    for index, item in enumerate(items):
        try:
            handler.call(item, ctx)
        except Exception as exc:
            ctx.log.exception("handler %s failed on %s", handler.name, item.id)
            first = first or exc
            if isinstance(batch, RecordBatch):
                failed.append(item.id)
                break
            failed.append(item.id)
            if ordered:
                failed.extend(later.id for later in items[index + 1 :])
                break
    if first is not None and not report:
        raise first
    return BatchResult(failed=failed)


def run(handler: Any, event: Any, ctx: Context, *, source: str, report: bool = True) -> Any:
    """Run ``handler`` on a decoded portable ``event`` with the shared semantics."""
    if type(event) is HttpRequest:
        if handler.trigger is not None and handler.trigger.kind != "http":
            check_kind(handler, event, source)
        return run_http(handler, event, ctx)
    if type(event).__name__ in ("MessageBatch", "RecordBatch"):
        check_kind(handler, event, source)
        return run_batch(handler, event, ctx, report=report)
    if isinstance(event, tuple):
        return [run(handler, item, ctx, source=source, report=report) for item in event]
    check_kind(handler, event, source)
    return handler.call(event, ctx)
