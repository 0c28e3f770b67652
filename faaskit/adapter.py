"""The interface between the core and a cloud adapter.

The core owns the one pipeline every invocation runs, on every platform
(:func:`invoke`, :func:`ainvoke`)::

    native context --Adapter.context--> Context
    native event   --user decoders first, else the adapter's decoder--> Decoder
                   --Decoder.decode--> portable event
                   --the shared semantics (HTTP errors, kind checks, batches)--> result
                   --Decoder.encode--> native response
    then the end-of-invocation callbacks (``on_finish``), whether the handler returned or raised

An adapter supplies only the cloud's side: an :class:`Adapter` (usually its ``adapter``
module: ``platform``, ``report``, ``context``, ``decoder``, ``raw_result``) and one
:class:`Decoder` per wire shape. It imports the core through this module and the public
``faaskit`` names, never through a private ``faaskit._*`` module. Names that only some trigger
families need load on first use, so an HTTP function imports none of them.

Tooling that runs or builds handlers outside a cloud (the dev server, the testing helpers, the
builders) reaches the core through this module too: :func:`local_context` (the context of a
direct call), the schedule grammar (:func:`parse_schedule` giving a :class:`Cron` or a
:class:`Rate`) and :func:`record_folder` (where ``@faaskit.idempotent`` keeps a function's
records, for lifecycle rules).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from faaskit._context import Context, cold, local_context, take_cold_start
from faaskit._environ import env_reader
from faaskit._fast import maker, writable
from faaskit._http import InvalidBody
from faaskit._lazy import Pending, deferrable
from faaskit._request_cookies import CookieHeaders, Cookies
from faaskit._response import to_response

if TYPE_CHECKING:
    from faaskit._batch import BatchEntry
    from faaskit._cron import Cron, Rate, to_aws, to_ncrontab
    from faaskit._cron import parse as parse_schedule
    from faaskit._declarations import Blob, Events, Queue, Schedule, Stream, Topic
    from faaskit._idempotency import record_folder
    from faaskit._json import loads
    from faaskit._pipeline import ainvoke, error_response, invoke, unsupported
    from faaskit._repr import shown
    from faaskit._routes import Http
    from faaskit._trigger import Trigger
    from faaskit._types import Raw, Result

__all__ = [
    "Adapter",
    "BatchEntry",
    "Blob",
    "Context",
    "CookieHeaders",
    "Cookies",
    "Cron",
    "Decoder",
    "Events",
    "Http",
    "InvalidBody",
    "Pending",
    "Queue",
    "Rate",
    "Schedule",
    "Stream",
    "Topic",
    "Trigger",
    "ainvoke",
    "cold",
    "deferrable",
    "env_reader",
    "error_response",
    "invoke",
    "loads",
    "local_context",
    "maker",
    "parse_schedule",
    "record_folder",
    "shown",
    "take_cold_start",
    "to_aws",
    "to_ncrontab",
    "to_response",
    "unsupported",
    "writable",
]


class Decoder(Protocol):
    """One wire shape of one platform (API Gateway v2, an SQS batch, a Blob trigger, ...)."""

    source: str
    """The short name of the source, used in errors and logs (``"sqs"``, ``"apigw-v2"``)."""

    def recognise(self, raw: Raw) -> bool:
        """Whether ``raw`` has this decoder's shape (cheap; never raises)."""
        ...

    def decode(self, raw: Raw, ctx: Context) -> object:
        """The portable event (or batch) for ``raw``; raises a typed error naming the field
        at fault when ``raw`` is malformed (an ``HTTPError`` becomes that response).
        """
        ...

    def encode(self, result: Result, raw: Raw) -> Raw:
        """The native response for the handler's result (an HTTP result is a ``Response``)."""
        ...


class Adapter(Protocol):
    """What one cloud supplies to the pipeline; the adapter's ``adapter`` module is one."""

    platform: str
    """The platform name decoders are registered under (``register_decoder(platform=...)``)."""

    report: bool
    """Whether batch failures are reported in the response (partial batch responses) rather
    than raised so that the platform retries the delivery.
    """

    def context(self, native: Raw, function_name: str) -> Context:
        """The portable context for the platform's own (never None) context object."""
        ...

    def decoder(self, raw: Raw) -> Decoder:
        """The built-in decoder for ``raw``; raises ``UnsupportedEventError`` (see
        :func:`unsupported`) when no decoder recognises it.
        """
        ...

    def raw_result(self, result: Result, raw: Raw, decoder: Decoder | None) -> Raw:
        """What the platform gets from a ``raw=True`` handler that returned ``result``."""
        ...


_LAZY = {
    "BatchEntry": "faaskit._batch",
    "Cron": "faaskit._cron",
    "Rate": "faaskit._cron",
    "parse_schedule": "faaskit._cron",
    "record_folder": "faaskit._idempotency",
    "Blob": "faaskit._declarations",
    "Events": "faaskit._declarations",
    "Http": "faaskit._routes",
    "Queue": "faaskit._declarations",
    "Schedule": "faaskit._declarations",
    "Stream": "faaskit._declarations",
    "Topic": "faaskit._declarations",
    "Trigger": "faaskit._trigger",
    "ainvoke": "faaskit._pipeline",
    "error_response": "faaskit._pipeline",
    "invoke": "faaskit._pipeline",
    "loads": "faaskit._json",
    "shown": "faaskit._repr",
    "to_aws": "faaskit._cron",
    "to_ncrontab": "faaskit._cron",
    "unsupported": "faaskit._pipeline",
}

_RENAMED = {"parse_schedule": "parse"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'faaskit.adapter' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
