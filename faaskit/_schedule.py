"""The portable scheduled tick (the expression grammar is :mod:`faaskit._cron`)."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

import attrs

from faaskit._cloudevent import iso_or_empty, structure

if TYPE_CHECKING:
    from faaskit._types import JSONObject, Raw

__all__ = ["ScheduleEvent"]


@attrs.frozen(kw_only=True)
class ScheduleEvent:
    """A scheduled tick. ``past_due`` is True when the platform fired it late."""

    time: _dt.datetime | None = None
    schedule: str | None = None
    past_due: bool = False
    id: str | None = None
    raw: Raw = attrs.field(default=None, eq=False, repr=False)

    def to_cloudevent(self) -> JSONObject:
        """This tick as a CloudEvents 1.0 JSON structure."""
        return structure(
            id=self.id or (iso_or_empty(self.time)),
            source=self.schedule or "schedule",
            type="io.faaskit.schedule",
            time=self.time,
            data={"schedule": self.schedule, "pastDue": self.past_due},
        )
