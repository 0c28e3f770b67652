"""The kind of a portable event, and the check that it is the kind a handler declares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from faaskit.exceptions import TriggerMismatchError

if TYPE_CHECKING:
    from faaskit._handler import Handler

__all__ = ["KINDS", "check_kind", "kind_of"]

KINDS = {
    "HttpRequest": "http",
    "BlobEvent": "blob",
    "Message": "message",
    "MessageBatch": "message",
    "Record": "stream",
    "RecordBatch": "stream",
    "ScheduleEvent": "schedule",
    "CloudEvent": "event",
}


def kind_of(event: object) -> str:
    if type(event).__module__.startswith("faaskit."):
        return KINDS.get(type(event).__name__, "unknown")
    return "unknown"


def check_kind(handler: Handler, event: object, source: str) -> None:
    """Refuse an event whose kind is not the one the handler's trigger declares."""
    trigger = handler.trigger
    if trigger is None:
        return
    got = kind_of(event)
    if got != trigger.kind:
        raise TriggerMismatchError(
            f"handler {handler.name!r} is declared for {trigger.kind} events "
            f"({type(trigger).__name__.lower()}) but received a {got} event from {source}",
            source=source,
            expected=trigger.kind,
            got=got,
        )
