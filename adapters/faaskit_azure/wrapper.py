"""Wrapper functions with the exact signature the Azure Functions Python worker validates.

When it indexes a ``FunctionApp`` the worker reads each function's parameters with
``inspect.signature`` and their types with ``typing.get_type_hints``: every parameter must be
named after a binding (plus an optional ``context`` annotated ``azure.functions.Context``), each
annotation must be a real type the binding's converter accepts, and the return annotation must
suit the ``$return`` binding. It calls the function with keyword arguments and awaits it when
``inspect.iscoroutinefunction`` says so. Worker validation:
https://github.com/Azure/azure-functions-python-worker (``functions.py``,
``FunctionLoadError``); programming model:
https://learn.microsoft.com/azure/azure-functions/functions-reference-python
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["make_wrapper"]

_KIND = inspect.Parameter.POSITIONAL_OR_KEYWORD


def _context_type() -> Any:
    import azure.functions as func

    return func.Context


def make_wrapper(
    name: str,
    params: Sequence[tuple[str, Any]],
    returns: Any,
    call: Callable[..., Any],
    *,
    is_async: bool = False,
    module: str | None = None,
) -> Callable[..., Any]:
    """A function named ``name`` taking ``params`` (``(binding name, annotation)`` pairs) plus
    ``context: azure.functions.Context``, returning ``returns`` (None: no return annotation).

    Each call is passed on as ``call(**arguments)``, ``context`` included; with ``is_async``
    the wrapper is an ``async def`` that awaits what ``call`` returns.
    ``__signature__`` and ``__annotations__`` describe the same parameters.
    """
    names = [param for param, _ in params]
    if len(set(names)) != len(names) or "context" in names:
        raise ValueError(f"wrapper {name!r}: binding names must be unique and not 'context'")
    annotations: dict[str, Any] = dict(params)
    annotations["context"] = _context_type()
    parameters = [inspect.Parameter(p, _KIND, annotation=a) for p, a in annotations.items()]
    if returns is None:
        signature = inspect.Signature(parameters)
    else:
        signature = inspect.Signature(parameters, return_annotation=returns)
        annotations["return"] = returns
    bind = signature.bind

    def arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        return bind(*args, **kwargs).arguments if args else kwargs

    if is_async:

        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            return await call(**arguments(args, kwargs))

        wrapper: Callable[..., Any] = async_wrapper
    else:

        def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
            return call(**arguments(args, kwargs))

        wrapper = sync_wrapper
    wrapper.__name__ = name
    wrapper.__qualname__ = name
    wrapper.__annotations__ = annotations
    wrapper.__signature__ = signature  # type: ignore[attr-defined]
    if module is not None:
        wrapper.__module__ = module
    return wrapper
