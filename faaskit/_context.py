"""The invocation context every handler receives as its second argument."""

from __future__ import annotations

import functools
import time as _time
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

import attrs

from faaskit._lazy import deferrable

if TYPE_CHECKING:
    import logging

__all__ = ["Context", "local_context", "take_cold_start"]

_cold = [True]


def take_cold_start() -> bool:
    """True the first time it is called in this process, False ever after."""
    if _cold:
        try:
            return _cold.pop()  # atomic: of concurrent first calls, exactly one gets True
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
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @property
    def log(self) -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
        """The logger for this invocation: ``faaskit.<function>``, tagged with the request id."""
        if self.logger is not None:
            return self.logger
        return request_logger(self.function_name, self.request_id)

    def remaining_ms(self) -> int | None:
        """Milliseconds left before the platform stops the invocation, or None if unlimited."""
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - _time.monotonic()) * 1000))


def request_logger(function_name: str, request_id: str) -> logging.LoggerAdapter[logging.Logger]:
    """The logger handed to a handler: ``faaskit.<function>``, tagged with the request id.

    Fields a call passes with ``extra=`` are kept beside ``request_id``.
    """
    import logging

    return _adapter_class()(
        logging.getLogger(f"faaskit.{function_name}"), {"request_id": request_id}
    )


@functools.cache
def _adapter_class() -> type[logging.LoggerAdapter[logging.Logger]]:
    import logging

    base: Any = logging.LoggerAdapter  # not subscriptable at run time before Python 3.11

    class RequestLogger(base):  # type: ignore[misc]
        """A logger adapter that merges the request's fields with a call's ``extra``."""

        def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, Any]:
            kwargs["extra"] = {**(kwargs.get("extra") or {}), **(self.extra or {})}
            return msg, kwargs

    return RequestLogger


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
