"""The local trigger loop: objects put into a bucket fire blob handlers, messages sent to a
queue fire message handlers (with the cloud's retry and dead-letter rules), records added to a
stream fire stream handlers and events put on the bus fire matching event handlers (see
:mod:`faaskit.devserver.feeds`), schedules fire.

Everything runs on one background thread that polls the data folder every ``interval``
seconds, so handlers run one at a time, in order, as a single local instance would.
"""

from __future__ import annotations

import datetime as _dt
import logging
import threading
from collections.abc import Sequence
from typing import Any

from faaskit import Handler
from faaskit.devserver import feeds
from faaskit.devserver.deliver import deliver_blob, deliver_tick
from faaskit.devserver.local import LocalCloud
from faaskit.devserver.pumps import Fanout, QueuePump
from faaskit.devserver.schedules import next_fire

__all__ = ["TriggerLoop"]

log = logging.getLogger("faaskit.serve")

# Attempts before a message is dead-lettered: a typical SQS redrive maxReceiveCount, and the
# Azure Storage Queue / Service Bus default maxDequeueCount / MaxDeliveryCount.
MAX_ATTEMPTS = {"aws": 3, "azure": 5}


def _matches(trigger: Any, key: str, action: str) -> bool:
    return (
        action in trigger.events
        and key.startswith(trigger.prefix or "")
        and key.endswith(trigger.suffix or "")
    )


class _BlobWatch:
    """Snapshots one bucket; a key that appears or changes (and holds still) is "created"."""

    def __init__(self, cloud: LocalCloud, bucket: str, handlers: Sequence[Handler]) -> None:
        self.bucket = bucket
        self.store = cloud.blobs(bucket)
        self.handlers = list(handlers)
        self.known = self._snapshot()
        self.settling: dict[str, tuple[int, str | None]] = {}

    def _snapshot(self) -> dict[str, tuple[int, str | None]]:
        return {info.key: (info.size, info.etag) for info in self.store.list()}

    def poll(self, loop: TriggerLoop) -> None:
        now = self._snapshot()
        for key, state in now.items():
            if self.known.get(key) == state:
                self.settling.pop(key, None)
                continue
            if self.settling.get(key) != state:  # still being written: wait one more poll
                self.settling[key] = state
                continue
            self.settling.pop(key, None)
            self.known[key] = state
            self._fire(loop, key, "created", state)
        for key in [k for k in self.known if k not in now]:
            state = self.known.pop(key)
            self._fire(loop, key, "deleted", state)

    def _fire(self, loop: TriggerLoop, key: str, action: str, state: tuple[int, Any]) -> None:
        for handler in self.handlers:
            if not _matches(handler.trigger, key, action):
                continue
            what = f"{action} {self.bucket}/{key}"
            loop.attempt(
                handler,
                what,
                lambda h=handler: deliver_blob(
                    h,
                    loop.platform,
                    bucket=self.bucket,
                    key=key,
                    action=action,
                    size=state[0],
                    etag=state[1],
                    read=lambda: self.store.get(key),
                ),
            )


class _Tick:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.expression: str = handler.trigger.expression  # type: ignore[union-attr]
        self.due = next_fire(self.expression, _dt.datetime.now(_dt.timezone.utc))

    def poll(self, loop: TriggerLoop) -> None:
        now = _dt.datetime.now(_dt.timezone.utc)
        if now < self.due:
            return
        past_due = (now - self.due).total_seconds() > 60
        when = self.due
        self.due = next_fire(self.expression, now)
        loop.attempt(
            self.handler,
            f"schedule {self.expression}",
            lambda: deliver_tick(self.handler, loop.platform, when, past_due),
        )


class TriggerLoop:
    """Watches the data folder for the app's blob, queue, topic and schedule handlers."""

    def __init__(
        self,
        cloud: LocalCloud,
        handlers: Sequence[Handler],
        platform: str,
        *,
        interval: float = 0.25,
        retry_delay: float = 1.0,
        max_attempts: int | None = None,
    ) -> None:
        self.cloud = cloud
        self.platform = platform
        self.interval = interval
        self.retry_delay = retry_delay
        self.max_attempts = max_attempts or MAX_ATTEMPTS[platform]
        self.watches: list[Any] = []
        self.ticks: list[_Tick] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._build(handlers)

    def _build(self, handlers: Sequence[Handler]) -> None:
        blobs: dict[str, list[Handler]] = {}
        queues: dict[str, list[Handler]] = {}
        topics: dict[str, list[Handler]] = {}
        for handler in handlers:
            kind = type(handler.trigger).__name__
            if kind == "Blob":
                blobs.setdefault(handler.trigger.bucket, []).append(handler)  # type: ignore[union-attr]
            elif kind == "Queue":
                queues.setdefault(handler.trigger.name, []).append(handler)  # type: ignore[union-attr]
            elif kind == "Topic":
                topics.setdefault(handler.trigger.name, []).append(handler)  # type: ignore[union-attr]
            elif kind == "Schedule":
                self.ticks.append(_Tick(handler))
        for bucket, group in blobs.items():
            self.watches.append(_BlobWatch(self.cloud, bucket, group))
        for name, group in queues.items():
            if len(group) > 1:
                log.warning(
                    "queue %s has %d handlers; like competing consumers, only %s receives",
                    name,
                    len(group),
                    group[0].name,
                )
            self.watches.append(QueuePump(self.cloud, name, group[0], dlq=name))
        for name, group in topics.items():
            subs = [f"{name}.subscriptions/{h.name}" for h in group]
            targets = [self.cloud.queue(s) for s in subs]
            damaged = self.cloud.dead_letter_dir(name)
            self.watches.append(Fanout(self.cloud.queue(name), targets, damaged=damaged))
            for sub, handler in zip(subs, group, strict=True):
                self.watches.append(
                    QueuePump(self.cloud, sub, handler, dlq=f"{name}.{handler.name}")
                )
        self.watches.extend(feeds.watches(self.cloud, handlers))

    def attempt(self, handler: Handler, what: str, call: Any) -> bool:
        """Run one delivery, logging the outcome; whether it succeeded."""
        try:
            call()
        except Exception as exc:
            log.error(
                "%s: %s failed: %s: %s",
                what,
                handler.name,
                type(exc).__name__,
                exc,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            return False
        log.info("%s -> %s", what, handler.name)
        return True

    def poll_once(self) -> None:
        """One pass over every watch and schedule."""
        for item in [*self.watches, *self.ticks]:
            try:
                item.poll(self)
            except Exception as exc:  # a broken folder must not stop the other triggers
                log.error("local trigger %s: %s: %s", type(item).__name__, type(exc).__name__, exc)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll_once()

    def start(self) -> None:
        """Poll in a background thread."""
        self._thread = threading.Thread(target=self._run, name="faaskit-triggers", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop polling (waits for the delivery in progress)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
