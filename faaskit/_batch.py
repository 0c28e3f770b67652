"""Batches: what a delivery holds and reports, and running a handler over it with the
delivery semantics both clouds share.

Each message runs on its own and the failures are reported (AWS partial batch responses), or
the first failure is raised after the rest have run (platforms that retry whole deliveries).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from operator import length_hint
from typing import TYPE_CHECKING, Protocol

import attrs

from faaskit._context import Context
from faaskit._kinds import KINDS, check_kind, kind_of
from faaskit._message import Message, MessageBatch
from faaskit._stream import Record, RecordBatch
from faaskit.exceptions import BatchFailedError, InvalidEventError, TriggerMismatchError

if TYPE_CHECKING:
    from typing import TypeAlias

    from faaskit._handler import Handler
    from faaskit._types import Result

    FailedItem: TypeAlias = str | int | Message | Record
    """How a batch handler names a failed item: its id, or the message or record itself."""

    # A batch runs as a plan: a generator that yields each event to run (or the whole batch)
    # and is sent back ``(result, exception)``, so the synchronous and the asynchronous drivers
    # below share every rule and differ only in how they call the handler.
    Outcome: TypeAlias = tuple[Result, BaseException | None]
    Plan: TypeAlias = Generator[object, Outcome, "BatchResult"]

__all__ = ["BatchEntry", "BatchResult", "arun_batch", "batch_plan", "run_batch"]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


def _ids(ids: str | Message | Record | Iterable[FailedItem]) -> Sequence[FailedItem]:
    """One failed id (or message, or record) given alone is that item, not its characters."""
    if isinstance(ids, str | Message | Record):
        return (ids,)
    return ids if isinstance(ids, list | tuple) else tuple(ids)


@attrs.frozen(kw_only=True)
class BatchResult:
    """What a batch handler reports: the items that failed, as their ids (message ids or
    sequence numbers) or as the :class:`Message` / :class:`Record` objects themselves.
    """

    failed: Sequence[FailedItem] = attrs.field(default=(), converter=_ids)


@attrs.frozen(kw_only=True)
class BatchEntry:
    """One item of a batched delivery as the platform counts and acknowledges it.

    ``id`` is what a failure reports (SQS message id, stream sequence number); ``events`` are the
    portable events a per-item handler runs on (one :class:`Message` or :class:`Record`, the
    :class:`BlobEvent` s unwrapped from an S3 notification, or none for a test notification);
    ``item`` is the :class:`Message` or :class:`Record` a whole-batch handler sees. An entry that
    could not be decoded has ``error`` set and is reported as failed, never dropped.
    """

    id: str
    events: tuple[object, ...] = ()
    item: Message | Record | None = None
    error: InvalidEventError | None = None


def run_batch(
    handler: Handler, batch: MessageBatch | RecordBatch, ctx: Context, *, report: bool
) -> BatchResult:
    """Run a handler over a batch; see :func:`batch_plan` for the rules.

    The common batch (every item decoded into one event of the kind a synchronous per-item
    handler is declared for) runs here without a plan, by the same rules.
    """
    if batch.entries or handler.is_async:
        return _run_plan(handler, batch, ctx, report)
    if type(batch) is RecordBatch:
        items: Sequence[Message | Record] = batch.records
        kind, stream, ordered = "stream", True, True
    else:
        items = batch.messages  # type: ignore[union-attr]
        kind, stream, ordered = "message", False, batch.fifo  # type: ignore[union-attr]
    trigger = handler.trigger
    if trigger is not None and (trigger.kind != kind or getattr(trigger, "batch", False)):
        return _run_plan(handler, batch, ctx, report)
    if type(items) is not list and type(items) is not tuple:
        return _run_plan(handler, batch, ctx, report)
    func = handler.func
    failed: list[int] = []
    first: BaseException | None = None
    remaining = iter(items)
    for item in remaining:
        try:
            func(item, ctx)
        except Exception as error:
            ctx.log.error("handler %s failed on %s", handler.name, item.id, exc_info=error)
            first = first or error
            # The item's own position (the same item may be listed twice).
            failed.append(len(items) - length_hint(remaining) - 1)
            if ordered:
                break
    if first is not None and not report:
        raise first
    return _result(items, failed, stream=stream, ordered=ordered) if failed else _NOTHING_FAILED


def _run_plan(
    handler: Handler, batch: MessageBatch | RecordBatch, ctx: Context, report: bool
) -> BatchResult:
    plan = batch_plan(handler, batch, ctx, report=report)
    call = handler.call if handler.is_async else handler.func
    try:
        event = next(plan)
        while True:
            try:
                outcome: Outcome = (call(event, ctx), None)
            except Exception as exc:
                outcome = (None, exc)
            event = plan.send(outcome)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def arun_batch(
    handler: Handler, batch: MessageBatch | RecordBatch, ctx: Context, *, report: bool
) -> BatchResult:
    """:func:`run_batch` on a running event loop."""
    plan = batch_plan(handler, batch, ctx, report=report)
    try:
        event = next(plan)
        while True:
            try:
                outcome: Outcome = (await handler.acall(event, ctx), None)
            except Exception as exc:
                outcome = (None, exc)
            event = plan.send(outcome)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def batch_plan(
    handler: Handler, batch: MessageBatch | RecordBatch, ctx: Context, *, report: bool
) -> Plan:
    """The rules for running a handler over a batch.

    Per item unless the trigger asked for the whole batch. An item that could not be decoded
    counts as failed without running. With ``report``, failures are returned as a
    :class:`BatchResult`, even when every item failed: a standard queue reports exactly the
    failed messages, a FIFO queue the first failed message and every later one (order is kept),
    a stream the first failed record alone (processing stops there). Without ``report`` (a
    platform that retries whole deliveries) the first exception is raised after the rest ran.
    """
    stream = isinstance(batch, RecordBatch)
    ordered = stream or bool(getattr(batch, "fifo", False))
    items: Sequence[Message | Record] = batch.records if stream else batch.messages  # type: ignore[union-attr]
    entries: Sequence[BatchEntry] = batch.entries or [
        BatchEntry(id=item.id, events=(item,), item=item) for item in items
    ]
    source = batch.source or type(batch).__name__
    if getattr(handler.trigger, "batch", False):
        check_kind(handler, batch, source)
        return (yield from _whole(handler, batch, entries, ctx, report=report, ordered=ordered))
    kind = handler.trigger.kind if handler.trigger is not None else None
    if kind is not None:
        _check_any(handler, kind, entries, source)
    failed: list[int] = []
    first: BaseException | None = None
    for index, entry in enumerate(entries):
        error: BaseException | None = entry.error
        for event in entry.events if error is None else ():
            if kind is not None and KINDS.get(type(event).__name__) != kind:
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


def _check_any(handler: Handler, kind: str, entries: Sequence[BatchEntry], source: str) -> None:
    """Refuse a batch in which no item has the ``kind`` the handler is declared for."""
    events = (event for entry in entries if entry.error is None for event in entry.events)
    first = next(events, None)
    if first is None or kind_of(first) == kind or any(kind_of(e) == kind for e in events):
        return
    check_kind(handler, first, source)


def _whole(
    handler: Handler,
    batch: MessageBatch | RecordBatch,
    entries: Sequence[BatchEntry],
    ctx: Context,
    *,
    report: bool,
    ordered: bool,
) -> Plan:
    """Hand the whole batch over; map the ids it reports (or its exception) to failures."""
    stream = isinstance(batch, RecordBatch)
    bad = [i for i, entry in enumerate(entries) if entry.error is not None]
    # In an ordered batch nothing after an undecodable item may run before it does.
    stop = bad[0] if ordered and bad else len(entries)
    good = [i for i in range(stop) if entries[i].error is None]
    if len(good) != len(entries):
        kept = [entries[i] for i in good]
        if isinstance(batch, RecordBatch):
            records = [e.item for e in kept if isinstance(e.item, Record)]
            batch = attrs.evolve(batch, records=records, entries=kept)
        else:
            messages = [e.item for e in kept if isinstance(e.item, Message)]
            batch = attrs.evolve(batch, messages=messages, entries=kept)
    result, error = (yield batch) if good else (None, None)
    if error is not None:
        if not report:
            raise error
        ctx.log.error("batch handler %s failed", handler.name, exc_info=error)
        failed = set(good)
    else:
        ids = _reported(result)
        if isinstance(ids, str):
            problem = ids
        else:
            unknown = ids - {entries[i].id for i in good}
            problem = f"reported ids not in the batch: {sorted(unknown)[:5]}" if unknown else ""
        if problem:
            # Acknowledging what the handler may have meant as failed would lose messages.
            ctx.log.error(
                "batch handler %s: %s; the whole batch fails so that it is redelivered",
                handler.name,
                problem,
            )
            failed = set(good)
        else:
            failed = {i for i in good if entries[i].id in ids}
    indices = sorted(failed | set(bad))
    if indices and not report:
        raise BatchFailedError(
            f"batch handler {handler.name!r} reported {len(indices)} failed item(s)",
            failed=tuple(entries[i].id for i in indices),
        )
    return _result(entries, indices, stream=stream, ordered=ordered)


def _reported(result: object) -> set[str] | str:
    """The ids a whole-batch handler's return value reports as failed, or why it is ambiguous.

    Taken: None (nothing failed), a :class:`BatchResult`, Lambda's own
    ``{"batchItemFailures": [{"itemIdentifier": id}, ...]}``, or a list of failed items; an
    item is an id or the :class:`Message` / :class:`Record` itself.
    """
    if result is None:
        return set()
    if isinstance(result, BatchResult):
        items: Iterable[object] = result.failed
    elif isinstance(result, dict) and set(result) == {"batchItemFailures"}:
        listed = result["batchItemFailures"]
        if not isinstance(listed, list):
            return "batchItemFailures is not a list"
        items = [i.get("itemIdentifier") if isinstance(i, dict) else i for i in listed]
    elif isinstance(result, list | tuple | set | frozenset):
        items = result
    else:
        return (
            f"returned {type(result).__name__}, not a BatchResult, a list of failed items or None"
        )
    ids: set[str] = set()
    for item in items:
        if isinstance(item, Message | Record):
            item = item.id
        elif type(item) is int:
            item = str(item)
        if not isinstance(item, str) or not item:
            return f"reported a failed item that is not an id, message or record: {item!r:.80}"
        ids.add(item)
    return ids


# BatchResult is frozen, so every batch without failures can share one.
_NOTHING_FAILED = BatchResult()


def _result(
    entries: Sequence[_Identified], failed: Sequence[int], *, stream: bool, ordered: bool
) -> BatchResult:
    """The ids to report for the failed positions, as each kind of source expects them."""
    if not failed:
        return _NOTHING_FAILED
    if stream:
        return BatchResult(failed=[entries[failed[0]].id])
    if ordered:
        return BatchResult(failed=[entry.id for entry in entries[failed[0] :]])
    return BatchResult(failed=[entries[i].id for i in failed])
