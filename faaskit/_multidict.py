"""Read-only multi-value mappings for query strings and headers.

Both normalise lazily: an adapter hands over the platform's own dict untouched, and the
work of splitting, decoding or lower-casing is done on first access, so a handler that never
reads the headers never pays for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, TypeVar, overload

if TYPE_CHECKING:
    from faaskit._types import Raw

__all__ = ["Headers", "MultiDict"]

M = TypeVar("M", bound="MultiDict")
T = TypeVar("T")


class MultiDict(Mapping[str, str]):
    """An immutable mapping of name to one or more values, in arrival order.

    ``m[name]`` and ``m.get(name)`` give the first value; ``m.getall(name)`` gives them all.
    """

    __slots__ = ("_items", "_load", "_source")

    _items: dict[str, list[str]] | None
    _load: Callable[[Raw], Iterable[tuple[str, object]]] | None
    _source: Raw

    def __init__(
        self,
        data: Mapping[str, str | Iterable[str]] | Iterable[tuple[str, str]] | None = None,
        load: Callable[[Raw], Iterable[tuple[str, object]]] | None = None,
    ) -> None:
        self._items = None
        self._load = load or _pairs
        self._source = data

    @classmethod
    def lazy(
        cls: type[M],
        source: Raw,
        load: Callable[[Raw], Iterable[tuple[str, object]]],
    ) -> M:
        """A mapping filled on first access with the ``(name, value-or-values)`` pairs that
        ``load(source)`` yields.
        """
        return cls(source, load)

    _lower = False

    @staticmethod
    def _key(name: str) -> str:
        return name

    def _d(self) -> dict[str, list[str]]:
        items = self._items
        if items is None:
            items = {}
            if self._source and self._load is not None:
                lower = self._lower
                for name, value in self._load(self._source):
                    if type(value) is str:  # the common case, kept short
                        key = name.lower() if lower else name
                        found = items.get(key)
                        if found is None:
                            items[key] = [value]
                        else:
                            found.append(value)
                    elif value is not None:
                        values = _values(value)
                        if values:
                            items.setdefault(self._key(name), []).extend(values)
            self._items = items
            self._source = self._load = None
        return items

    def __getitem__(self, name: str) -> str:
        return self._d()[self._key(name)][0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d())

    def __len__(self) -> int:
        return len(self._d())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._key(name) in self._d()

    @overload
    def get(self, name: str, /) -> str | None: ...
    @overload
    def get(self, name: str, default: str, /) -> str: ...
    @overload
    def get(self, name: str, default: T, /) -> str | T: ...

    def get(self, name: str, default: object = None, /) -> object:
        """The first value for ``name``, or ``default``."""
        values = self._d().get(self._key(name))
        return values[0] if values else default

    def getall(self, name: str) -> list[str]:
        """Every value for ``name`` (empty when absent)."""
        return list(self._d().get(self._key(name), ()))

    def multi_items(self) -> list[tuple[str, str]]:
        """Every ``(name, value)`` pair, repeated names included."""
        return [(k, v) for k, values in self._d().items() for v in values]

    def to_dict(self) -> dict[str, list[str]]:
        """A plain ``{name: [values]}`` copy."""
        return {k: list(v) for k, v in self._d().items()}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MultiDict):
            return type(self) is type(other) and self._d() == other._d()
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash(tuple((k, tuple(v)) for k, v in self._d().items()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.multi_items()!r})"


def _text(value: object) -> str:
    """A value that is not text, as text; nested containers shortened (never too deep)."""
    if isinstance(value, int | float):
        return str(value)
    from faaskit._repr import shown

    return shown(value)


def _values(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v if isinstance(v, str) else _text(v) for v in value if v is not None]
    return [_text(value)]


def _pairs(data: Raw) -> Iterable[tuple[str, object]]:
    if isinstance(data, Mapping):
        return data.items()
    return data  # type: ignore[no-any-return]


class Headers(MultiDict):
    """A :class:`MultiDict` whose names are case-insensitive (stored lower-case)."""

    __slots__ = ()
    _lower = True

    @staticmethod
    def _key(name: str) -> str:
        return name.lower()
