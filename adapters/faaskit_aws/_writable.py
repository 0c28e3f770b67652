"""Writable twins of frozen event classes, for building many instances on a hot path.

A frozen attrs class refuses attribute stores, so building one goes through ``__init__`` and
``object.__setattr__`` (or :func:`faaskit._fast.maker`'s descriptor calls). Its *writable
twin* is a subclass that adds no slot and restores the ordinary ``__setattr__``: a decoder
creates a twin with ``object.__new__``, stores every field as a plain attribute (the cheapest
store CPython has), then assigns ``__class__`` to the frozen class. The result is an ordinary,
frozen instance of that class, equal to one built through ``__init__``; the twin never escapes.
The decoder must store every field, defaults included (an unset slot raises on read).
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["writable"]


def writable(cls: type) -> type:
    """The writable twin of the frozen slotted attrs class ``cls`` (see the module docstring)."""
    for field in attrs.fields(cls):
        if not field.init or field.validator is not None or field.converter is not None:
            raise TypeError(f"{cls.__name__}.{field.name} needs attrs' own __init__")
    if hasattr(cls, "__attrs_post_init__") or hasattr(cls, "__attrs_pre_init__"):
        raise TypeError(f"{cls.__name__} needs attrs' own __init__")
    namespace: dict[str, Any] = {
        "__slots__": (),
        # Both, so that CPython sees the generic setter and stores slots directly.
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
        "__doc__": f"Writable twin of {cls.__qualname__}; becomes one by assigning __class__.",
    }
    twin = type(f"_Writable{cls.__name__}", (cls,), namespace)
    probe: Any = object.__new__(twin)
    probe.__class__ = cls  # fails here, at import, if the layouts ever differ
    return twin
