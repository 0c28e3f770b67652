"""The Lambda entry point behind every :class:`faaskit.Handler`: decode, run, encode.

Decoders are tried in order, user-registered ones first. HTTP decoders are loaded eagerly;
the modules for other trigger families load only when an event is not HTTP, so an HTTP
function never imports them.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Sequence
from typing import Any

from faaskit._dispatch import Decoder, _user, find_decoder
from faaskit._finish import finish, pending
from faaskit._run import run
from faaskit.exceptions import HTTPError
from faaskit_aws.context import from_lambda
from faaskit_aws.http import DECODERS as HTTP_DECODERS

__all__ = ["decoders", "invoke"]

# Trigger-family modules after HTTP, in dispatch order; each exposes DECODERS.
FAMILY_MODULES = ("message", "blob", "event", "schedule", "stream")

if "FAASKIT_SECRETS" in os.environ:  # declared secrets, read once at cold start
    from faaskit_aws._secrets import load_secrets

    load_secrets()

_table: list[Decoder] = list(HTTP_DECODERS)
_loaded = [False]
_loading = threading.Lock()
_last: list[Decoder] = [HTTP_DECODERS[0]]
_user_aws = _user["aws"]


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


def _decoder_for(raw: Any) -> Decoder:
    """The decoder for ``raw``, after the last one that matched (see :func:`invoke`)."""
    decoder = None
    if not _loaded[0]:
        decoder = next((d for d in (*_user["aws"], *HTTP_DECODERS) if d.recognise(raw)), None)
    if decoder is None:
        decoder = find_decoder(raw, "aws", decoders(), identify)
    _last[0] = decoder
    return decoder


def invoke(handler: Any, event: Any, lambda_context: Any) -> Any:
    """Run ``handler`` for one Lambda invocation and return the native response."""
    ctx = from_lambda(lambda_context, handler.name)
    try:
        result = _invoke(handler, event, ctx)
    except BaseException as exc:
        if pending:
            finish(ctx, exc)
        raise
    if pending:
        finish(ctx)
    return result


def _invoke(handler: Any, event: Any, ctx: Any) -> Any:
    if handler.raw:
        return handler.call(event, ctx)
    # Built-in decoders recognise mutually exclusive shapes, so the last one that matched
    # can be tried first; user decoders take precedence, so not while any are registered.
    decoder = _last[0]
    if _user_aws or not decoder.recognise(event):
        decoder = _decoder_for(event)
    try:
        portable = decoder.decode(event, ctx)
    except HTTPError as exc:
        from faaskit._run import error_response

        return decoder.encode(error_response(exc), event)
    return decoder.encode(run(handler, portable, ctx, source=decoder.source), event)
