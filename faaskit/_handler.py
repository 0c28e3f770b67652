"""``faaskit.handler``: the one decorator, and the ``Handler`` object it returns."""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, overload

from faaskit._context import Context, local_context
from faaskit._finish import finish
from faaskit._trigger import Trigger
from faaskit.exceptions import ConfigurationError

__all__ = ["Handler", "handler"]

_aws_invoke: list[Callable[[Handler, Any, Any], Any]] = []
# One event loop per thread: a loop runs one coroutine at a time, and threads calling
# async handlers concurrently (tests, thread pools) must not share it.
_loops = threading.local()


def _run_coroutine(coro: Any) -> Any:
    loop = getattr(_loops, "loop", None)
    if loop is None or loop.is_closed():
        import asyncio

        loop = _loops.loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    except RuntimeError:
        import asyncio

        if asyncio._get_running_loop() is None:
            raise
    # Called from code already running a loop (an async test calling the handler directly):
    # that loop cannot be blocked on, so the coroutine runs to completion on a thread of its own.
    return _on_thread(coro)


def _on_thread(coro: Any) -> Any:
    import asyncio
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="faaskit") as pool:
        return pool.submit(asyncio.run, coro).result()


class Handler:
    """A portable handler.

    - ``handler(event, context)`` with a native AWS event is a valid AWS Lambda handler;
    - ``handler(portable_event, ctx=None)`` calls the function directly (unit tests);
    - ``faaskit_azure.function_app(handler)`` registers it in an Azure ``FunctionApp``.
    """

    func: Callable[..., Any]
    trigger: Trigger | None
    raw: bool

    def __init__(
        self,
        func: Callable[..., Any],
        trigger: Trigger | None = None,
        *,
        name: str | None = None,
        raw: bool = False,
        reads: Iterable[str] = (),
        writes: Iterable[str] = (),
        memory: int | None = None,
        timeout: int | None = None,
        env: Mapping[str, Any] | None = None,
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
        self.env: Mapping[str, Any] = dict(env) if isinstance(env, Mapping) else (env or {})
        self.concurrency = concurrency
        # A callable object whose ``__call__`` is ``async def`` is async too.
        self.is_async = inspect.iscoroutinefunction(func) or (
            not inspect.isroutine(func)
            and inspect.iscoroutinefunction(getattr(func, "__call__", None))  # noqa: B004
        )

    def __repr__(self) -> str:
        return f"<faaskit.Handler {self.name} trigger={self.trigger!r}>"

    def __get__(self, instance: Any, owner: type | None = None) -> Handler:
        """A handler defined in a class, read from an instance, runs bound to it."""
        if instance is None:
            return self
        import copy
        import types

        bound = copy.copy(self)
        bound.func = types.MethodType(self.func, instance)
        return bound

    def __call__(self, event: Any, context: Any = None) -> Any:
        if type(event) not in _JSON_TYPES:
            ctx = context if isinstance(context, Context) else local_context(self.name)
            try:
                result = self.call(event, ctx)
            except BaseException as exc:
                finish(ctx, exc)
                raise
            finish(ctx)
            return result
        if not _aws_invoke:
            from faaskit_aws.adapter import invoke

            _aws_invoke.append(invoke)
        return _aws_invoke[0](self, event, context)

    def call(self, event: Any, ctx: Context) -> Any:
        """Run the function on one (portable or raw) event, awaiting it when it is async."""
        result = self.func(event, ctx)
        if self.is_async:
            return _run_coroutine(result)
        return result

    async def acall(self, event: Any, ctx: Context) -> Any:
        """Run the function from async code."""
        result = self.func(event, ctx)
        if self.is_async:
            return await result
        return result


# Lambda hands a handler JSON; anything else is a portable event called directly.
_JSON_TYPES = frozenset({dict, list, str, int, float, bool, type(None)})


@overload
def handler(trigger: Callable[..., Any]) -> Handler: ...
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
    env: Mapping[str, Any] | None = None,
    concurrency: int | None = None,
) -> Callable[[Callable[..., Any]], Handler]: ...


def handler(
    trigger: Trigger | Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    raw: bool = False,
    reads: Iterable[str] = (),
    writes: Iterable[str] = (),
    memory: int | None = None,
    timeout: int | None = None,
    env: Mapping[str, Any] | None = None,
    concurrency: int | None = None,
) -> Handler | Callable[[Callable[..., Any]], Handler]:
    """Make a portable handler: ``@faaskit.handler`` or ``@faaskit.handler(faaskit.http(...))``.

    ``reads``/``writes`` list the resources the function uses (``s3://bucket``,
    ``sqs://queue``, ``sns://topic``, ...) so ``faaskit build`` grants exactly those;
    ``memory`` (MB) and ``timeout`` (seconds) override the app-wide deployment defaults;
    ``env`` adds environment variables (values are strings or ``faaskit.secret("name")``);
    ``concurrency`` caps how many instances run at once (AWS reserved concurrency).
    """
    if callable(trigger) and not isinstance(trigger, Trigger):
        return Handler(trigger)

    def decorate(func: Callable[..., Any]) -> Handler:
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
