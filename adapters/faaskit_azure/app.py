"""``function_app(...)``: every faaskit handler registered in one ``azure.functions.FunctionApp``.

``function_app.py`` of an Azure Functions app (Python v2 programming model) is one import and
one call::

    import faaskit_azure
    import handlers

    app = faaskit_azure.function_app(handlers)

Registration contract (one module per trigger family, the same names as the AWS adapter):

- :data:`FAMILIES` maps a trigger kind (``handler.trigger.kind``: ``http``, ``blob``,
  ``message``, ``event``, ``schedule``, ``stream``) to the module that registers it; a module
  is imported only when a handler of its kind is registered.
- Each family module exposes ``register(app, handler, options) -> None``. ``app`` is the
  ``FunctionApp``; ``handler`` the :class:`faaskit.Handler`; ``options`` a read-only mapping
  of every keyword given to :func:`function_app`, with ``auth_level`` (an
  ``azure.functions.AuthLevel``) and ``route_prefix`` (``"api"`` unless given) filled in.
  ``register`` adds the trigger and binding decorators, with ``app.function_name(handler.name)``,
  to a wrapper whose parameters are the binding names plus ``context``: build it with
  :func:`faaskit_azure.wrapper.make_wrapper` and give it
  :func:`faaskit_azure.adapter.entry` (decode, run with the shared semantics, encode) as body.
  Family-specific options (connections, ...) are read from ``options`` by the family module.
- A handler without a trigger, or of a kind no module registers, raises
  :class:`faaskit.ConfigurationError` naming the handler.
"""

from __future__ import annotations

import importlib
import re
import types
from collections.abc import Iterable, Mapping
from typing import Any

from faaskit import Handler
from faaskit.exceptions import ConfigurationError

__all__ = ["FAMILIES", "collect", "function_app"]

FAMILIES: dict[str, str] = {
    "http": "faaskit_azure.http",
    "blob": "faaskit_azure.blob",
    "message": "faaskit_azure.message",
    "event": "faaskit_azure.event",
    "schedule": "faaskit_azure.schedule",
    "stream": "faaskit_azure.stream",
}


def collect(items: Iterable[Any]) -> list[Handler]:
    """The handlers among ``items``: handlers, modules (every handler they hold, in definition
    order) and iterables of either; each handler once.
    """
    found: dict[int, Handler] = {}
    for item in items:
        if isinstance(item, Handler):
            found.setdefault(id(item), item)
        elif isinstance(item, types.ModuleType):
            held = [v for v in vars(item).values() if isinstance(v, Handler)]
            if not held:
                raise ConfigurationError(f"module {item.__name__!r} holds no faaskit handler")
            for handler in held:
                found.setdefault(id(handler), handler)
        elif isinstance(item, list | tuple | set | frozenset):
            for handler in collect(item):
                found.setdefault(id(handler), handler)
        else:
            raise ConfigurationError(
                f"function_app() takes faaskit handlers and modules holding them, got {item!r}"
            )
    return list(found.values())


# The host's rule (azure-functions-host ``FunctionNameValidationRegex``); names are
# case-insensitive there, and one bad name stops the whole app from loading.
_VALID_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,127}$")


def _checked_name(handler: Handler) -> str:
    name = handler.name
    if not _VALID_NAME.match(name) or name.lower() == "host":
        raise ConfigurationError(
            f"handler {name!r} ({handler.func!r}): {name!r} is not a valid Azure function name "
            "(a letter, then up to 127 letters, digits, '_' or '-'; not 'host'): pass name= to "
            "faaskit.handler"
        )
    return name.lower()


def _auth_level(value: Any) -> Any:
    import azure.functions as func

    if isinstance(value, func.AuthLevel):
        return value
    if isinstance(value, str):
        for level in func.AuthLevel:
            if value.lower() in (level.name.lower(), str(level.value).lower()):
                return level
    raise ConfigurationError(
        f"auth_level {value!r} is not one of {[level.name for level in func.AuthLevel]}"
    )


def _family(handler: Handler) -> Any:
    trigger = handler.trigger
    if trigger is None:
        raise ConfigurationError(
            f"handler {handler.name!r} has no trigger, so Azure cannot bind it; declare one: "
            "@faaskit.handler(faaskit.http(...)), faaskit.queue(...), ..."
        )
    module_name = FAMILIES.get(trigger.kind)
    if module_name is not None:
        try:
            return importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
    raise ConfigurationError(
        f"handler {handler.name!r}: faaskit_azure cannot register {trigger.kind} triggers "
        f"({type(trigger).__name__})"
    )


def function_app(*handlers_or_modules: Any, **options: Any) -> Any:
    """An ``azure.functions.FunctionApp`` with every given handler registered.

    Options: ``auth_level`` (HTTP authorization level for triggers declared without ``auth``,
    default ``"ANONYMOUS"``, as an HTTP route declared without auth is public on AWS);
    ``route_prefix`` (the ``host.json`` ``extensions.http.routePrefix``, default ``"api"``,
    removed from request paths); ``app`` (an existing ``FunctionApp`` to add to). Any other
    option is handed to the trigger family modules.
    """
    import azure.functions as func

    handlers = collect(handlers_or_modules)
    names: dict[str, Handler] = {}
    for handler in handlers:
        other = names.setdefault(_checked_name(handler), handler)
        if other is not handler:
            raise ConfigurationError(
                f"two handlers are named {handler.name!r} ({other.func!r} and {handler.func!r}); "
                "Azure function names must be unique (ignoring case): pass name= to "
                "faaskit.handler"
            )
    settings: dict[str, Any] = dict(options)
    settings["auth_level"] = _auth_level(settings.get("auth_level", "ANONYMOUS"))
    settings.setdefault("route_prefix", "api")
    app = settings.pop("app", None)
    if app is None:
        app = func.FunctionApp(http_auth_level=settings["auth_level"])
    frozen: Mapping[str, Any] = types.MappingProxyType(settings)
    for handler in handlers:
        _family(handler).register(app, handler, frozen)
    # faaskit declares auth per HTTP route; without this the SDK warns on the root logger,
    # through ``logging.basicConfig``, that the app-wide level does not apply to non-HTTP
    # functions (and that stderr handler prints every later record a second time).
    if getattr(app, "_require_auth_level", True) is None:
        app._require_auth_level = True
    return app
