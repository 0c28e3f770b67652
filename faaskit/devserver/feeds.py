"""Local streams and the local event bus behind ``faaskit serve``.

- ``streams/<name>/``: each file dropped there is one record of stream ``name`` (a ``.jsonl``
  file: one record per line); messages sent to it with ``faaskit.storage`` are records too.
  Every handler of the stream reads its own copy in order, as each Kinesis event source
  mapping or Event Hubs consumer does; a failed record holds back the ones after it until it
  succeeds or is dead-lettered.
- ``events/``: each file dropped there is one event (``{"source", "detail-type", "detail"}``;
  a JSON list or ``.jsonl`` file: several). It goes to every ``faaskit.events(pattern)``
  handler whose pattern matches (:mod:`faaskit.devserver.patterns`), each with its own
  retries; an event that is not valid goes to ``dead-letter/events.invalid/``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from faaskit import Handler, Message
from faaskit.devserver.deliver_feeds import deliver_events, deliver_records
from faaskit.devserver.patterns import matches
from faaskit.devserver.pumps import Fanout, QueuePump
from faaskit.exceptions import ConfigurationError
from faaskit.testing._common import ACCOUNT, REGION, iso, new_id

__all__ = ["envelope", "watches"]

log = logging.getLogger("faaskit.serve")

# Records per stream delivery: the Kinesis event source mapping and Event Hubs
# (maxEventBatchSize) defaults.
STREAM_BATCH = 100


class Inbox:
    """Turns files dropped into ``folder`` into messages of the folder's queue (a file is
    taken once it holds still for one poll, so a file still being written is not split).
    """

    def __init__(self, folder: Path, queue: Any, *, lists: bool = False) -> None:
        self.folder = folder
        self.queue = queue
        self.lists = lists
        self.settling: dict[str, tuple[int, int]] = {}

    def poll(self, loop: Any) -> None:
        try:
            entries = [p for p in self.folder.iterdir() if _dropped(p)]
        except FileNotFoundError:
            return
        for path in sorted(entries, key=lambda p: (p.stat().st_mtime_ns, p.name)):
            stat = path.stat()
            state = (stat.st_size, stat.st_mtime_ns)
            if self.settling.get(path.name) != state:
                self.settling[path.name] = state
                continue
            del self.settling[path.name]
            for body in self._split(path):
                self.queue.send(body)
            path.unlink()
            log.info("%s: took %s", self.folder, path.name)

    def _split(self, path: Path) -> Iterator[bytes]:
        data = path.read_bytes()
        if path.suffix in (".jsonl", ".ndjson"):
            yield from (line for line in data.splitlines() if line.strip())
            return
        if self.lists and data.lstrip().startswith(b"["):
            try:
                items = json.loads(data)
            except ValueError:
                yield data
                return
            yield from (json.dumps(item).encode("utf-8") for item in items)
            return
        yield data


def _dropped(path: Path) -> bool:
    name = path.name
    return (
        path.is_file()
        and not name.startswith(".")
        and not name.endswith((".msg.json", "~", ".tmp", ".swp"))
    )


def envelope(body: bytes) -> dict[str, Any]:
    """The EventBridge envelope of a local event (``source`` and ``detail-type`` required,
    the rest filled in); ``ValueError`` naming the field when it is not a valid event.
    """
    try:
        event = json.loads(body)
    except ValueError as exc:
        raise ValueError(f"an event must be JSON: {exc}") from None
    if not isinstance(event, Mapping):
        raise ValueError(f"an event must be a JSON object, got {type(event).__name__}")
    for field in ("source", "detail-type"):
        if not isinstance(event.get(field), str) or not event[field]:
            raise ValueError(f"an event needs a non-empty string {field!r}")
    if not isinstance(event.get("detail", {}), Mapping):
        raise ValueError("an event's 'detail' must be a JSON object")
    resources = event.get("resources", [])
    if not isinstance(resources, list) or not all(isinstance(r, str) for r in resources):
        raise ValueError("an event's 'resources' must be a list of strings")
    return {
        "version": "0",
        "id": new_id(),
        "account": ACCOUNT,
        "time": iso(None),
        "region": REGION,
        "resources": [],
        "detail": {},
        **event,
    }


class _Rules:
    """Routes each bus event to the queues of the handlers whose patterns match it."""

    def __init__(self, rules: Sequence[tuple[Handler, Any]]) -> None:
        self.rules = list(rules)

    def __call__(self, message: Message) -> tuple[bytes, list[Any]]:
        event = envelope(message.body)
        targets = []
        for handler, queue in self.rules:
            try:
                hit = matches(handler.trigger.pattern, event)  # type: ignore[union-attr]
            except ConfigurationError as exc:
                log.error("handler %s: %s", handler.name, exc)
                continue
            if hit:
                targets.append(queue)
        if not targets:
            log.info("event %s from %s matches no handler", event["detail-type"], event["source"])
        return json.dumps(event).encode("utf-8"), targets


def watches(cloud: Any, handlers: Sequence[Handler]) -> list[Any]:
    """The pollers for the app's stream and events handlers."""
    out: list[Any] = []
    streams: dict[str, list[Handler]] = {}
    rules: list[tuple[Handler, Any]] = []
    for handler in handlers:
        kind = type(handler.trigger).__name__
        if kind == "Stream":
            streams.setdefault(handler.trigger.name, []).append(handler)  # type: ignore[union-attr]
        elif kind == "Events":
            queue = cloud.folder_queue(cloud.events_dir() / ".rules" / handler.name)
            rules.append((handler, queue))
    for name, group in streams.items():
        folder = cloud.stream_dir(name)
        log_queue = cloud.folder_queue(folder)
        consumers = [cloud.folder_queue(folder / ".consumers" / h.name) for h in group]
        out.append(Inbox(folder, log_queue))
        out.append(Fanout(log_queue, consumers, damaged=cloud.dead_letter_dir(f"streams/{name}")))
        for handler, queue in zip(group, consumers, strict=True):
            out.append(
                QueuePump(
                    cloud,
                    name,
                    handler,
                    dlq=f"streams/{name}/{handler.name}",
                    queue=queue,
                    deliver=deliver_records,
                    ordered=True,
                    batch=STREAM_BATCH,
                )
            )
    if rules:
        bus = cloud.folder_queue(cloud.events_dir())
        out.append(Inbox(cloud.events_dir(), bus, lists=True))
        rejected = cloud.dead_letter("events.invalid")
        damaged = cloud.dead_letter_dir("events.invalid")
        out.append(Fanout(bus, route=_Rules(rules), rejected=rejected, damaged=damaged))
        for handler, queue in rules:
            out.append(
                QueuePump(
                    cloud,
                    "events",
                    handler,
                    dlq=f"events/{handler.name}",
                    queue=queue,
                    deliver=deliver_events,
                )
            )
    return out
