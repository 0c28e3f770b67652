"""Parsing of ``Cookie`` request headers and ``name=value`` cookie lists."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["parse_cookies"]


def parse_cookies(values: Iterable[str]) -> dict[str, str]:
    """``{name: value}`` from ``Cookie`` header values or ``name=value`` items.

    Lenient like browsers: pieces without ``=`` are skipped, surrounding quotes are dropped, and
    a repeated name keeps its first value (the most specific path, per RFC 6265).
    """
    cookies: dict[str, str] = {}
    for header in values:
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
