"""The Azure Functions adapter: what the core's pipeline (:mod:`faaskit.adapter`) needs from
Azure, and the body of every registered wrapper function (:func:`entry`).

This module is itself the :class:`faaskit.adapter.Adapter`. A registered function knows its
trigger, so each wrapper is bound to one decoder (user decoders registered with
``register_decoder(..., platform="azure")`` that recognise the object still come first).
Failures raise so the platform retries (``report = False``): Azure has no partial-batch
response. Async handlers run on the worker's own event loop.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from faaskit import Handler
from faaskit.adapter import Adapter, Decoder, ainvoke, invoke, unsupported
from faaskit_azure.context import from_azure as context

__all__ = ["context", "decoder", "entry", "platform", "raw_result", "report"]

platform = "azure"
report = False


def decoder(raw: Any) -> Decoder:
    """Every Azure function is bound to its decoder when registered, so the pipeline never
    asks; an unbound call is refused.
    """
    raise unsupported(raw, platform, "unbound")


def raw_result(result: Any, raw: Any, decoder: Decoder | None) -> Any:
    """HTTP: the native response. Other triggers have no ``$return`` binding, and the worker
    fails an invocation whose function returns a value there, so the result is dropped.
    """
    encode_raw = getattr(decoder, "encode_raw", None)
    return encode_raw(result, raw) if encode_raw is not None else None


def entry(handler: Handler, decoder: Decoder, param: str) -> Callable[..., Any]:
    """The ``call`` for :func:`faaskit_azure.wrapper.make_wrapper`: takes the binding named
    ``param`` and ``context`` as keywords; a coroutine function when ``handler`` is async.
    """
    cloud: Adapter = sys.modules[__name__]  # this module is the Adapter
    if handler.is_async:

        async def acall(context: Any = None, **bindings: Any) -> Any:
            return await ainvoke(cloud, handler, bindings[param], context, decoder)

        return acall

    def call(context: Any = None, **bindings: Any) -> Any:
        return invoke(cloud, handler, bindings[param], context, decoder)

    return call
