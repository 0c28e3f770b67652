"""The synchronous and the asynchronous batch drivers follow the same rules.

A sync handler on AWS and an async handler on Azure run through the same batch plan; for any
batch and any set of failing items they must run the same items and report (or raise) the same
failures.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import faaskit
import faaskit._batch as _batch_module
from faaskit._batch import arun_batch, run_batch
from faaskit._context import local_context
from faaskit._message import Message, MessageBatch
from faaskit._stream import Record, RecordBatch


def _batch(kind: str, size: int) -> MessageBatch | RecordBatch:
    if kind == "stream":
        records = [Record(id=f"{1000 + i}", data=b"x", source="s") for i in range(size)]
        return RecordBatch(records=records, source="s")
    messages = [Message(id=f"m{i}", body=b"x", source="q") for i in range(size)]
    return MessageBatch(messages=messages, source="q", fifo=kind == "fifo")


def _handlers(failing: set[str]) -> tuple[faaskit.Handler, faaskit.Handler, list[str], list[str]]:
    seen_sync: list[str] = []
    seen_async: list[str] = []

    @faaskit.handler
    def sync(item: Any, ctx: faaskit.Context) -> None:
        seen_sync.append(item.id)
        if item.id in failing:
            raise ValueError(item.id)

    @faaskit.handler
    async def asynchronous(item: Any, ctx: faaskit.Context) -> None:
        seen_async.append(item.id)
        if item.id in failing:
            raise ValueError(item.id)

    return sync, asynchronous, seen_sync, seen_async


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return "result", list(call().failed)
    except ValueError as exc:
        return "raised", str(exc)


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(["standard", "fifo", "stream"]),
    size=st.integers(min_value=0, max_value=8),
    failing=st.sets(st.integers(min_value=0, max_value=8)),
    report=st.booleans(),
)
def test_sync_and_async_drivers_agree(
    kind: str, size: int, failing: set[int], report: bool
) -> None:
    batch = _batch(kind, size)
    items = batch.records if isinstance(batch, RecordBatch) else batch.messages
    ids = {item.id for index, item in enumerate(items) if index in failing}
    sync, asynchronous, seen_sync, seen_async = _handlers(ids)
    ctx = local_context()

    sync_outcome = _outcome(lambda: run_batch(sync, batch, ctx, report=report))
    async_outcome = _outcome(
        lambda: asyncio.run(arun_batch(asynchronous, batch, ctx, report=report))
    )

    assert sync_outcome == async_outcome
    assert seen_sync == seen_async
    if not ids:
        assert sync_outcome == ("result", [])


def test_async_fifo_batch_stops_at_the_first_failure_and_reports_the_rest() -> None:
    batch = _batch("fifo", 5)
    _, asynchronous, _, seen = _handlers({"m2"})
    result = asyncio.run(arun_batch(asynchronous, batch, local_context(), report=True))
    assert seen == ["m0", "m1", "m2"]
    assert list(result.failed) == ["m2", "m3", "m4"]


@pytest.mark.parametrize("kind", ["standard", "stream"])
def test_async_batch_raises_the_first_failure_without_report(kind: str) -> None:
    batch = _batch(kind, 4)
    _, asynchronous, _, seen = _handlers({"m1", "1001", "m3"})
    with pytest.raises(ValueError, match=r"^(m1|1001)$"):
        asyncio.run(arun_batch(asynchronous, batch, local_context(), report=False))
    # a queue still runs every message; a stream stops at the first failing record
    assert len(seen) == (4 if kind == "standard" else 2)


def _declared(kind: str, declared: bool) -> faaskit.Trigger | None:
    if not declared:
        return None
    return faaskit.stream("s") if kind == "stream" else faaskit.queue("q")


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(["standard", "fifo", "stream"]),
    size=st.integers(min_value=0, max_value=8),
    failing=st.sets(st.integers(min_value=0, max_value=8)),
    report=st.booleans(),
    declared=st.booleans(),
)
def test_the_loop_for_plain_batches_follows_the_plan(
    kind: str, size: int, failing: set[int], report: bool, declared: bool
) -> None:
    batch = _batch(kind, size)
    items = batch.records if isinstance(batch, RecordBatch) else batch.messages
    ids = {item.id for index, item in enumerate(items) if index in failing}
    seen: list[str] = []

    def body(item: Any, ctx: faaskit.Context) -> None:
        seen.append(item.id)
        if item.id in ids:
            raise ValueError(item.id)

    handler = faaskit.handler(_declared(kind, declared))(body)
    ctx = local_context()
    planned = _outcome(lambda: _batch_module._run_plan(handler, batch, ctx, report))
    seen_planned, seen[:] = list(seen), []
    real_plan = _batch_module.batch_plan
    _batch_module.batch_plan = None  # type: ignore[assignment]  # the loop must not use it
    try:
        looped = _outcome(lambda: run_batch(handler, batch, ctx, report=report))
    finally:
        _batch_module.batch_plan = real_plan
    assert looped == planned
    assert seen == seen_planned
