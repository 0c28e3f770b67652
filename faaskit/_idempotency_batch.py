"""``@faaskit.idempotent`` on whole-batch handlers (``batch=True``): idempotency per item.

Before the handler runs, each item's key is taken as for a per-item handler
(:meth:`Idempotency.begin`): items already completed are dropped from the batch, and an item
that another invocation is processing (:class:`IdempotencyInProgressError`) or whose key was
used for another payload (:class:`IdempotencyKeyReuseError`) is reported as failed without
running, so the platform delivers it again. In an ordered batch (FIFO queue, stream) nothing
after such an item runs either. The handler then sees the rest; afterwards:

- the items it reports as failed (:class:`BatchResult`, ``batchItemFailures`` or a list) have
  their locks released, the others are stored as completed (with no result: a whole-batch
  handler returns one value for the batch, not one per item);
- when it raises, or its report cannot be read, every lock it held is released.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from faaskit._batch import BatchResult, _reported
from faaskit._idempotency_codec import payload_hash
from faaskit._message import Message, MessageBatch
from faaskit._stream import Record, RecordBatch
from faaskit.exceptions import IdempotencyInProgressError, IdempotencyKeyReuseError

if TYPE_CHECKING:
    from faaskit._context import Context
    from faaskit._idempotency import Idempotency
    from faaskit._types import Result

__all__ = ["BatchLocks", "is_batch", "take_batch"]


def is_batch(event: object) -> bool:
    """Whether ``event`` is a whole batch (the handler was declared with ``batch=True``)."""
    return isinstance(event, MessageBatch | RecordBatch)


@attrs.frozen(kw_only=True)
class _Lock:
    id: str
    key: str
    digest: str
    etag: str


@attrs.frozen(kw_only=True)
class BatchLocks:
    """What :func:`take_batch` took: the batch left to run, the locks held on its items and
    the ids of the items that failed before running.
    """

    state: Idempotency
    batch: MessageBatch | RecordBatch
    locks: tuple[_Lock, ...]
    refused: tuple[str, ...]
    order: tuple[str, ...]  # every item's id, in delivery order

    @property
    def empty(self) -> bool:
        """Nothing is left to run (every item was done or refused)."""
        return len(self.batch) == 0

    def release(self) -> None:
        """Give every lock back: the handler failed as a whole."""
        for lock in self.locks:
            self.state.abandon(lock.key, lock.etag)

    def settle(self, result: Result, ctx: Context) -> Result:
        """Complete the items the handler did not report as failed, release the others, and
        return the handler's report with the refused items added.
        """
        reported = _reported(result)
        if isinstance(reported, str):  # unreadable: the batch layer fails every item
            self.release()
            return result
        for lock in self.locks:
            if lock.id in reported:
                self.state.abandon(lock.key, lock.etag)
            else:
                self.state.complete(lock.key, lock.digest, lock.etag, None, ctx)
        if not self.refused:
            return result
        failed = set(reported) | set(self.refused)
        return BatchResult(failed=[i for i in dict.fromkeys(self.order) if i in failed])


def _items(batch: MessageBatch | RecordBatch) -> Sequence[Message | Record]:
    return batch.records if isinstance(batch, RecordBatch) else batch.messages


def take_batch(state: Idempotency, batch: MessageBatch | RecordBatch, ctx: Context) -> BatchLocks:
    """Take each item's key; see the module's documentation for what happens to each item."""
    ordered = isinstance(batch, RecordBatch) or batch.fifo
    items = _items(batch)
    keep: list[Message | Record] = []
    locks: list[_Lock] = []
    refused: list[str] = []
    try:
        for item in items:
            if refused and ordered:
                refused.append(item.id)
                continue
            key = state.event_key(item)
            if key is None:
                keep.append(item)
                continue
            digest = payload_hash(item)
            try:
                outcome, value = state.begin(key, digest, ctx)
            except (IdempotencyInProgressError, IdempotencyKeyReuseError) as exc:
                ctx.log.warning("%s: %s is not run: %s", state.where, item.id, exc)
                refused.append(item.id)
                continue
            if outcome == "run":
                locks.append(_Lock(id=item.id, key=key, digest=digest, etag=value))
                keep.append(item)
    except BaseException:
        for lock in locks:
            state.abandon(lock.key, lock.etag)
        raise
    return BatchLocks(
        state=state,
        batch=_subset(batch, keep),
        locks=tuple(locks),
        refused=tuple(refused),
        order=tuple(item.id for item in items),
    )


def _subset(
    batch: MessageBatch | RecordBatch, items: list[Message | Record]
) -> MessageBatch | RecordBatch:
    if len(items) == len(batch):
        return batch
    kept = {id(item) for item in items}
    entries = [e for e in batch.entries if id(e.item) in kept]
    if isinstance(batch, RecordBatch):
        records = [r for r in batch.records if id(r) in kept]
        return attrs.evolve(batch, records=records, entries=entries)
    messages = [m for m in batch.messages if id(m) in kept]
    return attrs.evolve(batch, messages=messages, entries=entries)
