"""The local trigger loop: objects put into a bucket fire blob handlers, messages sent to a
queue fire message handlers (with the cloud's retry and dead-letter rules), schedules fire.

Everything runs on one background thread that polls the data folder every ``interval``
seconds, so handlers run one at a time, in order, as a single local instance would.
"""

from __future__ import annotations

import datetime as _dt
import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from faaskit._handler import Handler
from faaskit.devserver.deliver import deliver_blob, deliver_messages, deliver_tick
from faaskit.devserver.local import LocalCloud
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


class _QueuePump:
    """Delivers one queue's (or topic subscription's) messages to one handler."""

    def __init__(self, cloud: LocalCloud, name: str, handler: Handler, *, dlq: str) -> None:
        self.cloud = cloud
        self.name = name
        self.queue = cloud.queue(name)
        self.dlq_name = dlq
        self.handler = handler
        self.attempts: dict[str, int] = {}
        self.not_before: dict[str, float] = {}
        size = getattr(handler.trigger, "batch_size", None)
        self.batch = size or 10

    def poll(self, loop: TriggerLoop) -> None:
        now = time.monotonic()
        ready = [m for m in self.queue.messages() if self.not_before.get(m.id, 0) <= now]
        for start in range(0, len(ready), self.batch if loop.platform == "aws" else 1):
            chunk = ready[start : start + (self.batch if loop.platform == "aws" else 1)]
            pairs = [(m, self.attempts.get(m.id, 0) + 1) for m in chunk]
            try:
                failed = deliver_messages(self.handler, loop.platform, self.name, pairs)
            except Exception as exc:
                log.error("queue %s: cannot deliver to %s: %s", self.name, self.handler.name, exc)
                failed = {m.id for m in chunk}
            for message, attempt in pairs:
                if message.id not in failed:
                    self.queue.delete(message.id)
                    self._forget(message.id)
                    log.info("queue %s: %s processed %s", self.name, self.handler.name, message.id)
                elif attempt >= loop.max_attempts:
                    self.cloud.dead_letter(self.dlq_name).send(
                        message.body, attributes=dict(message.attributes) or None
                    )
                    self.queue.delete(message.id)
                    self._forget(message.id)
                    log.warning(
                        "queue %s: %s failed %s %d times; moved to %s",
                        self.name,
                        self.handler.name,
                        message.id,
                        attempt,
                        self.cloud.dead_letter_dir(self.dlq_name),
                    )
                else:
                    self.attempts[message.id] = attempt
                    self.not_before[message.id] = time.monotonic() + loop.retry_delay
                    log.warning(
                        "queue %s: %s failed %s (attempt %d of %d); will retry",
                        self.name,
                        self.handler.name,
                        message.id,
                        attempt,
                        loop.max_attempts,
                    )

    def _forget(self, message_id: str) -> None:
        self.attempts.pop(message_id, None)
        self.not_before.pop(message_id, None)


class _TopicFanout:
    """Copies each message published to a topic into every subscriber's own queue."""

    def __init__(self, cloud: LocalCloud, topic: str, subscriptions: Sequence[str]) -> None:
        self.topic = cloud.queue(topic)
        self.subscriptions = [cloud.queue(s) for s in subscriptions]

    def poll(self, loop: TriggerLoop) -> None:
        for message in self.topic.messages():
            for queue in self.subscriptions:
                queue.send(message.body, attributes=dict(message.attributes) or None)
            self.topic.delete(message.id)


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
            self.watches.append(_QueuePump(self.cloud, name, group[0], dlq=name))
        for name, group in topics.items():
            subs = [f"{name}.subscriptions/{h.name}" for h in group]
            self.watches.append(_TopicFanout(self.cloud, name, subs))
            for sub, handler in zip(subs, group, strict=True):
                self.watches.append(
                    _QueuePump(self.cloud, sub, handler, dlq=f"{name}.{handler.name}")
                )

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
