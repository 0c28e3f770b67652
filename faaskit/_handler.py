"""``faaskit.handler``: the one decorator, and the ``Handler`` object it returns."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Generic, overload

from faaskit._context import Context
from faaskit._trigger import Trigger
from faaskit.exceptions import ConfigurationError

__all__ = ["Handler", "handler"]

_native: list[Callable[[Handler[Raw], Raw, Raw], Raw]] = []


if TYPE_CHECKING:
    from typing_extensions import TypeVar

    from faaskit._types import Raw, Result

    # ``Handler`` alone means ``Handler[Raw]`` (a bare handler takes any event).
    E = TypeVar("E", default=Raw)
else:
    from typing import TypeVar

    E = TypeVar("E")
"""The event type a handler takes (``HttpRequest``, ``Message``, ...; ``Any`` when bare)."""

HandlerFunction = Callable[[E, Context], "Result"]
"""A handler body: ``(event, ctx) -> result`` (or a coroutine function returning it)."""


class Handler(Generic[E]):
    """A portable handler.

    - ``handler(event, context)`` with a native AWS event is a valid AWS Lambda handler;
    - ``handler(portable_event, ctx=None)`` calls the function directly (unit tests);
    - ``faaskit_azure.function_app(handler)`` registers it in an Azure ``FunctionApp``.
    """

    func: HandlerFunction[E]
    trigger: Trigger | None
    raw: bool

    def __init__(
        self,
        func: HandlerFunction[E],
        trigger: Trigger | None = None,
        *,
        name: str | None = None,
        raw: bool = False,
        reads: Iterable[str] = (),
        writes: Iterable[str] = (),
        memory: int | None = None,
        timeout: int | None = None,
        env: Mapping[str, object] | None = None,
        concurrency: int | None = None,
    ) -> None:
        if not callable(func):
            raise ConfigurationError(f"faaskit.handler needs a function, got {func!r}")
        if trigger is not None and not isinstance(trigger, Trigger):
            raise ConfigurationError(
                f"handler {getattr(func, '__qualname__', func)!r}: {trigger!r} is not a trigger "
                "declaration; use faaskit.http(...), faaskit.queue(...), ..."
            )
        if isinstance(func, Handler):  # re-declared: keep what the new call does not say
            trigger = trigger if trigger is not None else func.trigger
            raw = raw or func.raw
            func = func.func
        # First, so that the attributes below win over those copied from ``func.__dict__`` (a
        # class-based decorator's own ``func``, ``name``, ...).
        functools.update_wrapper(self, func)
        self.func = func
        self.trigger = trigger
        self.name: str = name or str(getattr(func, "__name__", "handler"))
        self.raw = raw
        # Deployment declarations: resource URLs (``s3://bucket``, ``sqs://queue``, ...) the
        # function reads and writes (least-privilege policies), and its memory (MB) / timeout (s).
        self.reads: tuple[str, ...] = (reads,) if isinstance(reads, str) else tuple(reads)
        self.writes: tuple[str, ...] = (writes,) if isinstance(writes, str) else tuple(writes)
        self.memory = memory
        self.timeout = timeout
        # Environment values (str or ``faaskit.secret(...)``) and the most instances that may run
        # at once; both are checked by ``faaskit build``, which names the handler at fault.
        self.env: Mapping[str, object] = dict(env) if isinstance(env, Mapping) else (env or {})
        self.concurrency = concurrency
        # A callable object whose ``__call__`` is ``async def`` is async too.
        self.is_async = inspect.iscoroutinefunction(func) or (
            not inspect.isroutine(func)
            and inspect.iscoroutinefunction(getattr(func, "__call__", None))  # noqa: B004
        )

    def __repr__(self) -> str:
        return f"<faaskit.Handler {self.name} trigger={self.trigger!r}>"

    def __get__(self, instance: object, owner: type | None = None) -> Handler[E]:
        """A handler defined in a class, read from an instance, runs bound to it."""
        if instance is None:
            return self
        import copy
        import types

        bound = copy.copy(self)
        bound.func = types.MethodType(self.func, instance)
        return bound

    def __call__(self, event: Raw, context: Raw = None) -> Result:
        """Lambda's call with a JSON event and its context, or a direct call with a portable
        event (and optionally a :class:`Context`): both run the core's one pipeline.
        """
        if type(event) in _JSON_TYPES:
            if not _native:
                from faaskit._pipeline import native_entry

                _native.append(native_entry())
            return _native[0](self, event, context)
        from faaskit._pipeline import call

        return call(self, event, context if isinstance(context, Context) else None)

    def call(self, event: E, ctx: Context) -> Result:
        """Run the function on one (portable or raw) event, awaiting it when it is async."""
        result = self.func(event, ctx)
        if self.is_async:
            from faaskit._coroutine import run_coroutine

            return run_coroutine(result)
        return result

    async def acall(self, event: E, ctx: Context) -> Result:
        """Run the function from async code."""
        result = self.func(event, ctx)
        if self.is_async:
            awaitable: Awaitable[Result] = result
            return await awaitable
        return result


# Lambda hands a handler JSON; anything else is a portable event called directly.
_JSON_TYPES = frozenset({dict, list, str, int, float, bool, type(None)})


@overload
def handler(trigger: HandlerFunction[E]) -> Handler[E]: ...
@overload
def handler(
    trigger: Trigger | None = None,
    *,
    name: str | None = None,
    raw: bool = False,
    reads: Iterable[str] = (),
    writes: Iterable[str] = (),
    memory: int | None = None,
    timeout: int | None = None,
    env: Mapping[str, object] | None = None,
    concurrency: int | None = None,
) -> Callable[[HandlerFunction[E]], Handler[E]]: ...


def handler(
    trigger: Trigger | HandlerFunction[E] | None = None,
    *,
    name: str | None = None,
    raw: bool = False,
    reads: Iterable[str] = (),
    writes: Iterable[str] = (),
    memory: int | None = None,
    timeout: int | None = None,
    env: Mapping[str, object] | None = None,
    concurrency: int | None = None,
) -> Handler[E] | Callable[[HandlerFunction[E]], Handler[E]]:
    """Make a portable handler: ``@faaskit.handler`` or ``@faaskit.handler(faaskit.http(...))``.

    ``reads``/``writes`` list the resources the function uses (``s3://bucket``,
    ``sqs://queue``, ``sns://topic``, ...) so ``faaskit build`` grants exactly those;
    ``memory`` (MB) and ``timeout`` (seconds) override the app-wide deployment defaults;
    ``env`` adds environment variables (values are strings or ``faaskit.secret("name")``);
    ``concurrency`` caps how many instances run at once (AWS reserved concurrency).
    """
    if callable(trigger) and not isinstance(trigger, Trigger):
        return Handler(trigger)

    def decorate(func: HandlerFunction[E]) -> Handler[E]:
        return Handler(
            func,
            trigger,
            name=name,
            raw=raw,
            reads=reads,
            writes=writes,
            memory=memory,
            timeout=timeout,
            env=env,
            concurrency=concurrency,
        )

    return decorate
