"""Wire values shown in error messages: short, and never too deep to show.

A hostile payload may nest thousands deep, where ``repr()`` and ``str()`` raise
``RecursionError``; :func:`shown` cuts nesting and length instead.
"""

from __future__ import annotations

import reprlib

__all__ = ["shown"]

_REPR = reprlib.Repr()
_REPR.maxlevel = 4
_REPR.maxstring = 80
_REPR.maxother = 80


def shown(value: object) -> str:
    """``repr(value)``, shortened: at most four levels of nesting and about 80 characters."""
    return _REPR.repr(value)
