"""Fast construction of frozen slotted attrs classes on the per-invocation hot path.

A frozen attrs class refuses attribute stores, so its ``__init__`` assigns every field through
``object.__setattr__``. Its *writable twin* is a subclass that adds no slot and restores the
ordinary ``__setattr__``: code creates a twin with ``object.__new__``, stores every field as a
plain attribute (the cheapest store CPython has), then assigns ``__class__`` to the frozen
class. The result is an ordinary frozen instance, equal to one built through ``__init__``;
the twin never escapes. :func:`maker` generates, once per class, a keyword-only constructor
that does exactly that, with the class's own defaults. Only for classes whose fields are all
plain ``__init__`` arguments (no validators, converters or init hooks).
"""

from __future__ import annotations

from typing import Protocol, TypeVar, cast

import attrs

from faaskit._lazy import Deferred

__all__ = ["maker", "writable"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Maker(Protocol[T_co]):
    """A keyword-only constructor made by :func:`maker`: one keyword per field."""

    def __call__(self, **fields: object) -> T_co: ...


def writable(cls: type[T]) -> type[T]:
    """The writable twin of the frozen slotted attrs class ``cls`` (see the module docstring).

    Whoever builds through it must store every field, defaults included (an unset slot
    raises on read), then assign ``__class__ = cls``. The slot of a ``functools.cached_property``
    may be stored too (its value, already known) or left for its first read.
    """
    for field in attrs.fields(cls):  # type: ignore[arg-type]
        if not field.init or field.validator is not None or field.converter is not None:
            raise TypeError(f"{cls.__name__}.{field.name} needs attrs' own __init__")
    if hasattr(cls, "__attrs_post_init__") or hasattr(cls, "__attrs_pre_init__"):
        raise TypeError(f"{cls.__name__} needs attrs' own __init__")
    namespace: dict[str, object] = {
        "__slots__": (),
        # Both, so that CPython sees the generic setter and stores slots directly.
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
        "__doc__": f"Writable twin of {cls.__qualname__}; becomes one by assigning __class__.",
    }
    # Deferrable fields (faaskit._lazy) are stored straight into their slots as well.
    for name, value in vars(cls).items():
        if isinstance(value, Deferred):
            namespace[name] = value.slot
    twin = type(f"_Writable{cls.__name__}", (cls,), namespace)
    probe: object = object.__new__(twin)
    probe.__class__ = cls  # fails here, at import, if the layouts ever differ
    return twin


def maker(cls: type[T]) -> Maker[T]:
    """A keyword-only constructor for ``cls`` that builds through its writable twin."""
    namespace: dict[str, object] = {
        "_new": object.__new__,
        "_twin": writable(cls),
        "_cls": cls,
        "_NOTHING": attrs.NOTHING,
    }
    params: list[str] = []
    body: list[str] = []
    for index, field in enumerate(attrs.fields(cls)):  # type: ignore[arg-type]
        arg = field.alias or field.name
        if field.default is attrs.NOTHING:
            params.append(arg)
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"_factory{index}"] = field.default.factory
            params.append(f"{arg}=_NOTHING")
            body.append(f"    if {arg} is _NOTHING:")
            body.append(f"        {arg} = _factory{index}()")
        else:
            namespace[f"_default{index}"] = field.default
            params.append(f"{arg}=_default{index}")
        body.append(f"    self.{field.name} = {arg}")
    source = (
        f"def make_{cls.__name__}(*, {', '.join(params)}):\n"
        "    self = _new(_twin)\n" + "\n".join(body) + "\n    self.__class__ = _cls\n"
        "    return self\n"
    )
    exec(compile(source, f"<faaskit maker {cls.__qualname__}>", "exec"), namespace)
    made = cast("Maker[T]", namespace[f"make_{cls.__name__}"])
    made.__doc__ = f"Build a {cls.__qualname__} (fast path)."
    return made
