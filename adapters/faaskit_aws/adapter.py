"""The AWS Lambda adapter: what the core's pipeline (:mod:`faaskit.adapter`) needs from AWS.

This module is itself the :class:`faaskit.adapter.Adapter`: the Lambda context becomes a
:class:`faaskit.Context` (:func:`context`), and :func:`decoder` picks the built-in decoder for
an event. HTTP decoders are loaded eagerly; the modules for other trigger families load only
when an event is not HTTP, so an HTTP function never imports them. Partial batch responses
report failures (``report``).
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Sequence
from typing import Any

from faaskit.adapter import Decoder, unsupported
from faaskit_aws.context import from_lambda as context
from faaskit_aws.http import DECODERS as HTTP_DECODERS

__all__ = ["context", "decoder", "decoders", "platform", "raw_result", "report"]

platform = "aws"
report = True

# Trigger-family modules after HTTP, in dispatch order; each exposes DECODERS.
FAMILY_MODULES = ("message", "blob", "event", "schedule", "stream")

if "FAASKIT_SECRETS" in os.environ:  # declared secrets, read once at cold start
    from faaskit_aws._secrets import load_secrets

    load_secrets()

_table: list[Decoder] = list(HTTP_DECODERS)
_loaded = [False]
_loading = threading.Lock()
_last: list[Decoder] = [HTTP_DECODERS[0]]


def decoders() -> Sequence[Decoder]:
    """Every built-in AWS decoder, in dispatch order (loads all trigger families)."""
    if not _loaded[0]:
        with _loading:  # concurrent first invocations must not add the families twice
            if not _loaded[0]:
                _load_families()
    return _table


def _load_families() -> None:
    for name in FAMILY_MODULES:
        try:
            module = importlib.import_module(f"faaskit_aws.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"faaskit_aws.{name}":
                raise
            continue
        _table.extend(module.DECODERS)
    _loaded[0] = True


def identify(raw: Any) -> str:
    """Name the AWS source of an event faaskit does not normalize."""
    try:
        names = importlib.import_module("faaskit_aws._identify")
    except ModuleNotFoundError:
        return "unknown"
    return str(names.identify(raw))


def decoder(raw: Any) -> Decoder:
    """The built-in decoder for ``raw``.

    Built-in decoders recognise mutually exclusive shapes, so the last one that matched is
    tried first; then the HTTP decoders, then (loading them) every family's.
    """
    found: Decoder | None = _last[0]
    if found is not None and found.recognise(raw):
        return found
    found = None if _loaded[0] else _first(HTTP_DECODERS, raw)
    if found is None:
        found = _first(decoders(), raw)
        if found is None:
            raise unsupported(raw, platform, identify(raw))
    _last[0] = found
    return found


def _first(table: Sequence[Decoder], raw: Any) -> Decoder | None:
    for candidate in table:
        if candidate.recognise(raw):
            return candidate
    return None


def raw_result(result: Any, raw: Any, decoder: Decoder | None) -> Any:
    """A ``raw=True`` handler's result goes back to Lambda as it is."""
    return result
