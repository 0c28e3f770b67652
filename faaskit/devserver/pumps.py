"""Queue pumps for the local trigger loop: deliver a local queue's messages to one handler
with the cloud's retry and dead-letter rules, and fan a topic (or stream) out to its
subscribers' own queues.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from faaskit import Handler, Message
from faaskit.devserver.deliver import deliver_messages

__all__ = ["Fanout", "QueuePump", "readable"]

log = logging.getLogger("faaskit.serve")

Deliver = Callable[[Handler, str, str, Sequence[tuple[Message, int]]], set[str]]

_DAMAGED = ".damaged"


def readable(queue: Any, dead_dir: Path | None) -> list[Message]:
    """The messages waiting in ``queue``; a message file that cannot be read is moved to
    ``dead_dir`` (renamed ``*.damaged``, so it is no message there either, beside a
    ``*.reason.txt`` file saying what is wrong) instead of stopping the queue.
    """
    from faaskit.storage import FileQueue

    if dead_dir is None or not isinstance(queue, FileQueue):
        return list(queue.messages())

    def set_aside(path: str, error: Exception) -> None:
        target = dead_dir / (os.path.basename(path) + _DAMAGED)
        try:
            dead_dir.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            reason = dead_dir / (os.path.basename(path).removesuffix(".msg.json") + ".reason.txt")
            reason.write_text(f"{type(error).__name__}: {error}\n", encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            log.error("%s: cannot move damaged message file %s aside: %s", queue.url, path, exc)
            return
        log.error(
            "%s: message file %s is unreadable (%s); moved to %s",
            queue.url,
            os.path.basename(path),
            error,
            target,
        )

    return list(queue.messages(damaged=set_aside))


class QueuePump:
    """Delivers one local queue's messages (queue, topic subscription, stream consumer or
    event rule) to one handler.

    ``deliver(handler, platform, name, [(message, attempt), ...])`` returns the ids that
    failed. Unordered (queues): each failed message is retried on its own. ``ordered``
    (streams): the messages after a failed one wait behind it, the failed ones are retried
    first, and a message dead-lettered after its last attempt unblocks the rest.
    """

    def __init__(
        self,
        cloud: Any,
        name: str,
        handler: Handler,
        *,
        dlq: str,
        queue: Any = None,
        deliver: Deliver | None = None,
        ordered: bool = False,
        batch: int | None = None,
    ) -> None:
        self.cloud = cloud
        self.name = name
        self.queue = queue if queue is not None else cloud.queue(name)
        self.dlq_name = dlq
        self.handler = handler
        self.deliver: Deliver = deliver or deliver_messages
        self.ordered = ordered
        self.attempts: dict[str, int] = {}
        self.not_before: dict[str, float] = {}
        self.batch = batch or getattr(handler.trigger, "batch_size", None) or 10

    def _ready(self) -> list[Message]:
        now = time.monotonic()
        waiting = readable(self.queue, self.cloud.dead_letter_dir(self.dlq_name))
        if self.ordered:
            return list(itertools.takewhile(lambda m: self.not_before.get(m.id, 0) <= now, waiting))
        return [m for m in waiting if self.not_before.get(m.id, 0) <= now]

    def poll(self, loop: Any) -> None:
        """Deliver what is ready, in batches on aws and for streams, one by one otherwise."""
        ready = self._ready()
        step = self.batch if loop.platform == "aws" or self.ordered else 1
        for start in range(0, len(ready), step):
            chunk = ready[start : start + step]
            pairs = [(m, self.attempts.get(m.id, 0) + 1) for m in chunk]
            try:
                failed = self.deliver(self.handler, loop.platform, self.name, pairs)
            except Exception as exc:
                log.error("%s: cannot deliver to %s: %s", self.name, self.handler.name, exc)
                failed = {m.id for m in chunk}
            blocked = False
            for message, attempt in pairs:
                if message.id in failed:
                    blocked = True
                    self._failed(loop, message, attempt)
                elif not blocked or not self.ordered:
                    self.queue.delete(message.id)
                    self._forget(message.id)
                    log.info("%s: %s processed %s", self.name, self.handler.name, message.id)
            if blocked and self.ordered:
                return

    def _failed(self, loop: Any, message: Message, attempt: int) -> None:
        if attempt >= loop.max_attempts:
            self.cloud.dead_letter(self.dlq_name).send(
                message.body, attributes=dict(message.attributes) or None
            )
            self.queue.delete(message.id)
            self._forget(message.id)
            log.warning(
                "%s: %s failed %s %d times; moved to %s",
                self.name,
                self.handler.name,
                message.id,
                attempt,
                self.cloud.dead_letter_dir(self.dlq_name),
            )
            return
        self.attempts[message.id] = attempt
        self.not_before[message.id] = time.monotonic() + loop.retry_delay
        log.warning(
            "%s: %s failed %s (attempt %d of %d); will retry",
            self.name,
            self.handler.name,
            message.id,
            attempt,
            loop.max_attempts,
        )

    def _forget(self, message_id: str) -> None:
        self.attempts.pop(message_id, None)
        self.not_before.pop(message_id, None)


class Fanout:
    """Copies each message of ``source`` into every target queue, in order.

    ``route(message)`` gives the body to copy and the targets it goes to (default: the body
    itself, to every target); it raises ``ValueError`` for a message that belongs nowhere,
    which then goes to ``rejected``. A message file that cannot be read is moved to
    ``damaged`` (a dead-letter folder), when given.
    """

    def __init__(
        self,
        source: Any,
        targets: Sequence[Any] = (),
        *,
        route: Callable[[Message], tuple[bytes, Sequence[Any]]] | None = None,
        rejected: Any = None,
        damaged: Path | None = None,
    ) -> None:
        self.source = source
        self.damaged = damaged
        self.targets = list(targets)
        self.route = route
        self.rejected = rejected

    def poll(self, loop: Any) -> None:
        """Copy (and remove) every message waiting in the source."""
        for message in readable(self.source, self.damaged):
            attributes = dict(message.attributes) or None
            body, targets = message.body, list(self.targets)
            if self.route is not None:
                try:
                    body, routed = self.route(message)
                    targets = list(routed)
                except ValueError as exc:
                    if self.rejected is None:
                        raise
                    log.error("%s: %s; moved to %s", self.source.url, exc, self.rejected.url)
                    self.rejected.send(message.body, attributes=attributes)
                    targets = []
            for queue in targets:
                queue.send(body, attributes=attributes, subject=message.subject)
            self.source.delete(message.id)
