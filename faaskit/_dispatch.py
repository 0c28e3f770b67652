"""Decoders, the ordered tables that hold them, and the lookup that walks them.

A decoder knows one wire shape (API Gateway v2, an SQS batch, ...) and has three verbs:
``recognise`` a raw event, ``decode`` it to a portable event, ``encode`` the handler's result
into the native response. User-registered decoders are tried before the built-in ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from faaskit._context import Context
from faaskit.exceptions import UnsupportedEventError

__all__ = ["Decoder", "find_decoder", "register_decoder"]

PLATFORMS = ("aws", "azure")


class Decoder(Protocol):
    """One wire shape of one platform."""

    source: str

    def recognise(self, raw: Any) -> bool:
        """Whether ``raw`` has this decoder's shape (cheap; never raises)."""
        ...

    def decode(self, raw: Any, ctx: Context) -> Any:
        """The portable event (or batch) for ``raw``."""
        ...

    def encode(self, result: Any, raw: Any) -> Any:
        """The native response for the handler's (normalised) ``result``."""
        ...


D = TypeVar("D", bound=Decoder)

_user: dict[str, list[Decoder]] = {p: [] for p in PLATFORMS}


def register_decoder(decoder: D, *, platform: str = "aws") -> D:
    """Add a decoder for ``platform``, tried before the built-in ones (latest first)."""
    if platform not in _user:
        raise ValueError(f"unknown platform {platform!r}; use one of {PLATFORMS}")
    _user[platform].insert(0, decoder)
    return decoder


def unregister_decoder(decoder: Decoder, *, platform: str = "aws") -> None:
    """Remove a decoder added with :func:`register_decoder`."""
    _user[platform].remove(decoder)


def find_decoder(
    raw: Any,
    platform: str,
    builtins: Sequence[Decoder],
    identify: Callable[[Any], str] | None = None,
) -> Decoder:
    """The first decoder, user ones first, that recognises ``raw``.

    Raises :class:`UnsupportedEventError` naming the source ``identify`` finds otherwise.
    """
    for decoder in _user[platform]:
        if decoder.recognise(raw):
            return decoder
    for decoder in builtins:
        if decoder.recognise(raw):
            return decoder
    source = identify(raw) if identify else "unknown"
    shape = type(raw).__name__
    if isinstance(raw, dict):
        keys = ", ".join(sorted(map(str, raw))[:8]) or "no keys"
        shape = f"object with {keys}"
    raise UnsupportedEventError(
        f"faaskit cannot normalize this {platform} event (source: {source}; got {shape}); "
        "declare the handler with raw=True to receive it untouched, or register a decoder",
        source=source,
    )
