"""Request cookies: parsed from ``Cookie`` headers or ``name=value`` lists, on first access."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faaskit._multidict import Headers

__all__ = ["CookieHeaders", "Cookies", "parse_cookies"]


def parse_cookies(values: Iterable[str]) -> dict[str, str]:
    """``{name: value}`` from ``Cookie`` header values or ``name=value`` items.

    Lenient like browsers: pieces without ``=`` are skipped, surrounding quotes are dropped, and
    a repeated name keeps its first value (the most specific path, per RFC 6265).
    """
    cookies: dict[str, str] = {}
    for header in values:
        if not isinstance(header, str):
            continue
        for piece in header.split(";"):
            name, sep, value = piece.partition("=")
            name = name.strip()
            if not sep or not name or name in cookies:
                continue
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            cookies[name] = value
    return cookies


class Cookies(Mapping[str, str]):
    """The cookies of a request, an immutable mapping parsed when first read."""

    __slots__ = ("_items", "_source")

    def __init__(self, source: Iterable[str] = ()) -> None:
        self._items: dict[str, str] | None = None
        self._source: Iterable[str] | None = source

    def _d(self) -> dict[str, str]:
        if self._items is None:
            self._items = parse_cookies(self._source or ())
            self._source = None
        return self._items

    def __getitem__(self, name: str) -> str:
        return self._d()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d())

    def __len__(self) -> int:
        return len(self._d())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._d() == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._d().items()))

    def __repr__(self) -> str:
        return f"Cookies({self._d()!r})"


class CookieHeaders:
    """The ``Cookie`` header values of ``headers``, read only when iterated: the lazy source
    of :class:`Cookies` for a request whose cookies travel in its headers.
    """

    __slots__ = ("headers",)

    def __init__(self, headers: Headers) -> None:
        self.headers = headers

    def __iter__(self) -> Iterator[str]:
        return iter(self.headers.getall("cookie"))
