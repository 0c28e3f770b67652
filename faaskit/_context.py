"""The invocation context every handler receives as its second argument."""

from __future__ import annotations

import os
import time as _time
from typing import TYPE_CHECKING

import attrs

from faaskit._lazy import deferrable

if TYPE_CHECKING:
    import logging
    from collections.abc import Callable
    from typing import TypedDict

    from faaskit._logs import InvocationLogger
    from faaskit._metrics import Metrics
    from faaskit._types import Raw

    class _Makers(TypedDict, total=False):
        logger: Callable[[Context], InvocationLogger]
        metrics: Callable[[Context], Metrics]


__all__ = ["Context", "cold", "local_context", "take_cold_start"]

# Lambda's cold start is an on-demand initialization; a provisioned-concurrency or SnapStart
# environment was initialized before any request arrived, so none of its invocations waited.
_WARMED = ("provisioned-concurrency", "snap-start")
cold = [] if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") in _WARMED else [True]
"""Non-empty until the first invocation of this process took the cold start (a cheap test
before calling :func:`take_cold_start`)."""
_lazy: _Makers = {}


def take_cold_start() -> bool:
    """True the first time it is called in this process, False ever after."""
    if cold:
        try:
            return cold.pop()  # atomic: of concurrent first calls, exactly one gets True
        except IndexError:
            pass
    return False


@deferrable("memory_mb", "deadline")
@attrs.frozen(kw_only=True)
class Context:
    """Facts about the current invocation, the same on every platform.

    ``deadline`` is a ``time.monotonic()`` instant, or None where the platform gives none.
    Adapters may leave ``memory_mb`` and ``deadline`` to be read from the platform when first
    used (:mod:`faaskit._lazy`).
    """

    request_id: str
    function_name: str
    platform: str
    region: str | None = None
    memory_mb: int | None = None
    deadline: float | None = None
    cold_start: bool = False
    trace_id: str | None = None
    logger: logging.Logger | logging.LoggerAdapter[logging.Logger] | None = attrs.field(
        default=None, eq=False, repr=False
    )
    raw: Raw = attrs.field(default=None, eq=False, repr=False)

    @property
    def log(self) -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
        """The logger for this invocation: ``faaskit.<function>``, writing one JSON line per
        record with the invocation's fields (:mod:`faaskit._logs`).
        """
        logger = self.logger
        if logger is not None and getattr(logger, "owner", id(self)) == id(self):
            return logger
        try:
            make = _lazy["logger"]
        except KeyError:
            from faaskit._logs import invocation_logger as make

            _lazy["logger"] = make
        made = make(self)
        made.owner = id(self)  # a copy made by attrs.evolve builds its own
        object.__setattr__(self, "logger", made)
        return made

    @property
    def metrics(self) -> Metrics:
        """This invocation's metrics, flushed once when it ends (:mod:`faaskit._metrics`)."""
        try:
            get = _lazy["metrics"]
        except KeyError:
            from faaskit._metrics import metrics_for

            get = _lazy["metrics"] = metrics_for
        return get(self)

    def remaining_ms(self) -> int | None:
        """Milliseconds left before the platform stops the invocation, or None if unlimited."""
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - _time.monotonic()) * 1000))


def request_logger(function_name: str, request_id: str) -> logging.LoggerAdapter[logging.Logger]:
    """The logger handed to a handler of ``function_name`` for the request ``request_id``."""
    return Context(request_id=request_id, function_name=function_name, platform="local").log  # type: ignore[return-value]


def local_context(function_name: str = "local", *, request_id: str | None = None) -> Context:
    """A context for a handler called directly, outside any cloud."""
    import uuid

    rid = request_id or str(uuid.uuid4())
    return Context(
        request_id=rid,
        function_name=function_name,
        platform="local",
        cold_start=take_cold_start(),
    )
