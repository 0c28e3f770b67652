"""Helpers shared by the ``serve``, ``invoke`` and ``events`` commands."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from faaskit.exceptions import ConfigurationError

__all__ = [
    "add_debug",
    "add_overrides",
    "merge_overrides",
    "json_default",
    "parse_overrides",
    "print_json",
    "write",
]


def add_debug(parser: argparse.ArgumentParser) -> None:
    """Accept ``--debug`` after the command too (the top-level flag keeps working)."""
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks on errors"
    )


def add_overrides(parser: argparse.ArgumentParser, declare: Callable[[Any], None]) -> None:
    """Declare ``key=value ...`` overrides that may come before or after the options.

    argparse stops filling positionals at the first option, so everything after the first
    positional is kept raw and parsed again, intermixed, by :func:`merge_overrides`.
    """
    declare(parser)
    parser.add_argument(
        "overrides", nargs=argparse.REMAINDER, metavar="key=value", help="event overrides"
    )
    parser.set_defaults(_declare=declare, _prog=parser.prog)


def merge_overrides(args: argparse.Namespace) -> None:
    """Parse the raw tail kept by :func:`add_overrides` into ``args``."""
    again = argparse.ArgumentParser(
        prog=args._prog, add_help=False, argument_default=argparse.SUPPRESS
    )
    args._declare(again)
    again.add_argument("overrides", nargs="*", default=[])
    vars(args).update(vars(again.parse_intermixed_args(args.overrides)))


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """``key=value`` (a string) and ``key:=json`` (a JSON value) pairs, in order."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ConfigurationError(
                f"override {item!r} is not key=value (use key:=JSON for numbers, lists, objects)"
            )
        if key.endswith(":"):
            try:
                out[key[:-1]] = json.loads(value)
            except ValueError as exc:
                raise ConfigurationError(f"override {key[:-1]!r}: {value!r} is not JSON") from exc
        else:
            out[key] = value
    return out


def json_default(value: Any) -> Any:
    """JSON for the values native responses hold besides JSON types."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            import base64

            return base64.b64encode(value).decode("ascii")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return repr(value)


def print_json(value: Any) -> None:
    """Print ``value`` as indented JSON (quietly stopping when the reader closes the pipe)."""
    write(json.dumps(value, indent=2, default=json_default))


def write(text: str) -> None:
    """Print a line; a closed pipe (``| head``) ends the output without an error."""
    import os
    import sys

    try:
        print(text, flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
