"""Fields decoded on first read, for the frozen slotted attrs classes built on the hot path.

:func:`deferrable` lets an adapter that builds an instance through its writable twin
(:func:`faaskit._fast.writable`) store a :class:`Pending` in some fields instead of their values.
The first read of such a field asks the pending object for the value and keeps it in the slot,
so later reads, equality, hashing, ``repr``, pickling and ``attrs.evolve`` see ordinary values
and nobody can tell the instance from one built eagerly. A pending object that finds the raw
value malformed raises the decoder's typed error at that first read. Instances built through
``__init__`` never hold a pending object and only pay for one indirection on read.
"""

from __future__ import annotations

from _thread import allocate_lock
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from types import MemberDescriptorType

__all__ = ["Deferred", "Pending", "deferrable"]

T = TypeVar("T")

# Held only to store a resolved value, so that threads reading a field at once all get the
# value the first of them stored (the threading module is not loaded for it).
_settle = allocate_lock()


class Pending:
    """Stands in the deferrable fields of an instance until they are read."""

    __slots__ = ()

    def resolve(self, instance: object, name: str) -> object:
        """The value of field ``name`` of ``instance`` (read from its raw payload)."""
        raise NotImplementedError


class Deferred:
    """The descriptor of a deferrable field: the field's slot, resolving a :class:`Pending`."""

    __slots__ = ("_get", "_set", "name", "slot")

    def __init__(self, name: str, slot: MemberDescriptorType) -> None:
        self.name = name
        self.slot = slot
        self._get: Callable[[object], object] = slot.__get__
        self._set: Callable[[object, object], None] = slot.__set__

    def __get__(self, instance: object, owner: type | None = None) -> object:
        if instance is None:
            return self
        value = self._get(instance)
        if isinstance(value, Pending):
            value = value.resolve(instance, self.name)
            with _settle:
                kept = self._get(instance)
                if isinstance(kept, Pending):
                    self._set(instance, value)
                else:
                    value = kept
        return value

    def __set__(self, instance: object, value: object) -> None:
        self._set(instance, value)

    def __delete__(self, instance: object) -> None:
        self.slot.__delete__(instance)


def deferrable(*names: str) -> Callable[[type[T]], type[T]]:
    """Class decorator, above ``attrs.frozen``: let the fields ``names`` hold a pending value."""

    def wrap(cls: type[T]) -> type[T]:
        for name in names:
            slot = cls.__dict__[name]
            if type(slot).__name__ != "member_descriptor":
                raise TypeError(f"{cls.__name__}.{name} is not a slot of a slotted class")
            setattr(cls, name, Deferred(name, slot))
        return cls

    return wrap
