"""Fast constructors for frozen slotted attrs classes on the per-invocation hot path.

A frozen attrs ``__init__`` assigns each field through ``object.__setattr__``; this module
generates, once per class, a keyword-only function that fills the slots through their member
descriptors instead, about three times faster. The result is an ordinary instance of the class:
same fields, same defaults, still frozen. Only for classes whose fields are all plain
``__init__`` arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["maker"]

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """A keyword-only constructor for ``cls`` that skips the frozen ``__setattr__`` path."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_NOTHING": attrs.NOTHING}
    params: list[str] = []
    body: list[str] = []
    for index, field in enumerate(fields):
        if not field.init or field.validator is not None or field.converter is not None:
            raise TypeError(f"{cls.__name__}.{field.name} needs attrs' own __init__")
        arg = field.alias or field.name
        namespace[f"_set{index}"] = cls.__dict__[field.name].__set__
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
        body.append(f"    _set{index}(self, {arg})")
    source = (
        f"def make_{cls.__name__}(*, {', '.join(params)}):\n"
        "    self = _new(_cls)\n" + "\n".join(body) + "\n    return self\n"
    )
    exec(compile(source, f"<faaskit maker {cls.__qualname__}>", "exec"), namespace)
    made: Callable[..., T] = namespace[f"make_{cls.__name__}"]
    made.__doc__ = f"Build a {cls.__qualname__} (fast path)."
    return made
