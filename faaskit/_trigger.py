"""The base of every trigger declaration."""

from __future__ import annotations

from typing import ClassVar

__all__ = ["Trigger"]


class Trigger:
    """Base of every trigger declaration; ``kind`` names the portable event family."""

    __slots__ = ()
    kind: ClassVar[str] = ""
