"""What happens between a decoded event and the handler: the semantics both clouds share.

- HTTP: return values become a :class:`Response`; ``HTTPError`` becomes its response; any other
  exception becomes a 500 JSON body with the request id and no traceback (logged instead).
- Batches: each message runs on its own and the failures are reported (AWS), or the first
  failure is raised after the rest have run (platforms that retry the whole delivery).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Generator, Sequence
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

__all__ = ["arun", "arun_http", "error_response", "run", "run_http"]

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
    try:
        if handler.trigger is not None:
            request = _checked(handler.trigger, request)
        result = handler.func(request, ctx)
        if handler.is_async:
            result = _run_coroutine(result)
        return to_response(result)
    except HTTPError as exc:
        return error_response(exc)
    except Exception:
        return _crashed(handler, request, ctx)


async def arun_http(handler: Any, request: HttpRequest, ctx: Context) -> Response:
    """:func:`run_http` on a running event loop."""
    try:
        if handler.trigger is not None:
            request = _checked(handler.trigger, request)
        return to_response(await handler.acall(request, ctx))
    except HTTPError as exc:
        return error_response(exc)
    except Exception:
        return _crashed(handler, request, ctx)


def _checked(trigger: Http, request: HttpRequest) -> HttpRequest:
    """``request`` once the declared method and route accept it (405 / 404 otherwise)."""
    if trigger.methods[0] != "ANY" and request.method not in trigger.methods:
        raise MethodNotAllowedError(
            f"{request.method} is not allowed on {trigger.route}",
            headers={"Allow": ", ".join(trigger.methods)},
        )
    return request if request.route == trigger.route else _routed(trigger, request)


def _crashed(handler: Any, request: HttpRequest, ctx: Context) -> Response:
    ctx.log.exception("handler %s failed on %s %s", handler.name, request.method, request.path)
    return internal_error(ctx)


def _routed(trigger: Http, request: HttpRequest) -> HttpRequest:
    """``request`` with the declared route and the path parameters the route template gives."""
    params = trigger.match(request.path)
    if params is None:
        if any(name not in request.path_params for name in trigger.params):
            raise NotFoundError(f"{request.path} does not match {trigger.route}")
        params = {}
    return attrs.evolve(request, route=trigger.route, path_params={**request.path_params, **params})


# A batch runs as a plan: a generator that yields each event to run (or the whole batch) and
# is sent back ``(result, exception)``, so the synchronous and the asynchronous drivers below
# share every rule and differ only in how they call the handler.
Outcome = tuple[Any, BaseException | None]
Plan = Generator[Any, Outcome, "BatchResult"]


def run_batch(
    handler: Any, batch: MessageBatch | RecordBatch, ctx: Context, *, report: bool
) -> BatchResult:
    """Run a handler over a batch; see :func:`batch_plan` for the rules."""
    plan = batch_plan(handler, batch, ctx, report=report)
    call = handler.call if handler.is_async else handler.func
    outcome: Any = None
    try:
        while True:
            event = plan.send(outcome)
            try:
                outcome = (call(event, ctx), None)
            except Exception as exc:
                outcome = (None, exc)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def arun_batch(
    handler: Any, batch: MessageBatch | RecordBatch, ctx: Context, *, report: bool
) -> BatchResult:
    """:func:`run_batch` on a running event loop."""
    plan = batch_plan(handler, batch, ctx, report=report)
    outcome: Any = None
    try:
        while True:
            event = plan.send(outcome)
            try:
                outcome = (await handler.acall(event, ctx), None)
            except Exception as exc:
                outcome = (None, exc)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def batch_plan(
    handler: Any, batch: MessageBatch | RecordBatch, ctx: Context, *, report: bool
) -> Plan:
    """The rules for running a handler over a batch.

    Per item unless the trigger asked for the whole batch. An item that could not be decoded
    counts as failed without running. With ``report``, failures are returned as a
    :class:`BatchResult`, even when every item failed: a standard queue reports exactly the
    failed messages, a FIFO queue the first failed message and every later one (order is kept),
    a stream the first failed record alone (processing stops there). Without ``report`` (a
    platform that retries whole deliveries) the first exception is raised after the rest ran.
    """
    # A module-level import would load the non-HTTP events on the HTTP path; this is cheaper
    # per call than an import statement.
    events = sys.modules.get("faaskit._events") or importlib.import_module("faaskit._events")
    stream = isinstance(batch, events.RecordBatch)
    ordered = stream or bool(getattr(batch, "fifo", False))
    items: Sequence[Any] = batch.records if stream else batch.messages  # type: ignore[union-attr]
    entries: Sequence[Any] = batch.entries or [
        events.BatchEntry(id=item.id, events=(item,), item=item) for item in items
    ]
    source = batch.source or type(batch).__name__
    if getattr(handler.trigger, "batch", False):
        check_kind(handler, batch, source)
        return (yield from _whole(handler, batch, entries, ctx, report=report, ordered=ordered))
    kind = handler.trigger.kind if handler.trigger is not None else None
    if kind is not None:
        _check_any(handler, entries, source)
    failed: list[int] = []
    first: BaseException | None = None
    for index, entry in enumerate(entries):
        error = entry.error
        for event in entry.events if error is None else ():
            if kind is not None and _KINDS.get(type(event).__name__) != kind:
                try:
                    check_kind(handler, event, source)
                except TriggerMismatchError as exc:
                    error = exc
                    break
            _, error = yield event
            if error is not None:
                break
        if error is not None:
            ctx.log.error("handler %s failed on %s", handler.name, entry.id, exc_info=error)
            first = first or error
            failed.append(index)
            if ordered:
                break
    if first is not None and not report:
        raise first
    return _result(entries, failed, stream=stream, ordered=ordered)


def _check_any(handler: Any, entries: Sequence[Any], source: str) -> None:
    """Refuse a batch in which no item has the kind the handler is declared for."""
    kind = handler.trigger.kind
    events = (event for entry in entries if entry.error is None for event in entry.events)
    first = next(events, None)
    if first is None or _kind(first) == kind or any(_kind(e) == kind for e in events):
        return
    check_kind(handler, first, source)


def _whole(
    handler: Any,
    batch: Any,
    entries: Sequence[Any],
    ctx: Context,
    *,
    report: bool,
    ordered: bool,
) -> Plan:
    """Hand the whole batch over; map the ids it reports (or its exception) to failures."""
    from faaskit._events import BatchResult, RecordBatch
    from faaskit.exceptions import BatchFailedError

    stream = isinstance(batch, RecordBatch)
    bad = [i for i, entry in enumerate(entries) if entry.error is not None]
    # In an ordered batch nothing after an undecodable item may run before it does.
    stop = bad[0] if ordered and bad else len(entries)
    good = [i for i in range(stop) if entries[i].error is None]
    if len(good) != len(entries):
        field = "records" if stream else "messages"
        kept = [entries[i] for i in good]
        batch = attrs.evolve(batch, **{field: [e.item for e in kept], "entries": kept})
    result, error = (yield batch) if good else (None, None)
    if error is not None:
        if not report:
            raise error
        ctx.log.error("batch handler %s failed", handler.name, exc_info=error)
        failed = set(good)
    else:
        ids = {str(i) for i in result.failed} if isinstance(result, BatchResult) else set()
        unknown = ids - {entries[i].id for i in good}
        if unknown:
            ctx.log.warning("batch handler %s reported unknown ids %s", handler.name, unknown)
        failed = {i for i in good if entries[i].id in ids}
    indices = sorted(failed | set(bad))
    if indices and not report:
        raise BatchFailedError(
            f"batch handler {handler.name!r} reported {len(indices)} failed item(s)",
            failed=tuple(entries[i].id for i in indices),
        )
    return _result(entries, indices, stream=stream, ordered=ordered)


# BatchResult is frozen, so every batch without failures can share one.
_NOTHING_FAILED: dict[type, BatchResult] = {}


def _result(
    entries: Sequence[Any], failed: Sequence[int], *, stream: bool, ordered: bool
) -> BatchResult:
    """The ids to report for the failed positions, as each kind of source expects them."""
    result: type[BatchResult] = sys.modules["faaskit._events"].BatchResult
    if not failed:
        return _NOTHING_FAILED.get(result) or _NOTHING_FAILED.setdefault(result, result())
    if stream:
        return result(failed=[entries[failed[0]].id])
    if ordered:
        return result(failed=[entry.id for entry in entries[failed[0] :]])
    return result(failed=[entries[i].id for i in failed])


def run(handler: Any, event: Any, ctx: Context, *, source: str, report: bool = True) -> Any:
    """Run ``handler`` on a decoded portable ``event`` with the shared semantics."""
    if type(event) is HttpRequest:
        if handler.trigger is not None and handler.trigger.kind != "http":
            check_kind(handler, event, source)
        return run_http(handler, event, ctx)
    if type(event).__name__ in ("MessageBatch", "RecordBatch"):
        return run_batch(handler, event, ctx, report=report)
    if isinstance(event, tuple):
        return [run(handler, item, ctx, source=source, report=report) for item in event]
    check_kind(handler, event, source)
    return handler.call(_declared(handler, event), ctx)


async def arun(handler: Any, event: Any, ctx: Context, *, source: str, report: bool = True) -> Any:
    """:func:`run` on a running event loop (an async handler on Azure)."""
    if type(event) is HttpRequest:
        if handler.trigger is not None and handler.trigger.kind != "http":
            check_kind(handler, event, source)
        return await arun_http(handler, event, ctx)
    if type(event).__name__ in ("MessageBatch", "RecordBatch"):
        return await arun_batch(handler, event, ctx, report=report)
    if isinstance(event, tuple):
        return [await arun(handler, item, ctx, source=source, report=report) for item in event]
    check_kind(handler, event, source)
    return await handler.acall(_declared(handler, event), ctx)


def _declared(handler: Any, event: Any) -> Any:
    """A schedule tick names the handler's declared expression on every cloud (AWS events
    carry only the rule's name, Azure timer payloads nothing); other events pass unchanged.
    """
    expression = getattr(handler.trigger, "expression", None)
    if expression is not None and getattr(event, "schedule", expression) != expression:
        return attrs.evolve(event, schedule=expression)
    return event
