"""faaskit's Azure adapter: ``azure.functions`` objects, ``FunctionApp`` glue, Blob/Queue.

``faaskit_azure.function_app(*handlers_or_modules, **options)`` returns an
``azure.functions.FunctionApp`` with every handler registered (see :mod:`faaskit_azure.app`).
Nothing here is imported by ``import faaskit``, and importing this package loads no
``azure`` module until a name below is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from faaskit_azure.app import function_app
    from faaskit_azure.wrapper import make_wrapper

__all__ = ["function_app", "make_wrapper"]

_LAZY = {"function_app": "faaskit_azure.app", "make_wrapper": "faaskit_azure.wrapper"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'faaskit_azure' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
