"""Run a ``function_app.py`` inside the real Azure Functions Python runtime, from tests.

``AzureHost`` starts a Python 3.13 interpreter that has ``azure-functions-runtime`` installed,
loads the app through the runtime's own indexing and plays the Functions host: each invocation
sends the TypedData and trigger metadata the host would send over gRPC and returns what the
runtime answered (HTTP response, ``$return``, output bindings, error, logs)::

    with AzureHost("path/to/app") as host:
        [f.name for f in host.functions()]
        host.invoke_http("get_item", "GET", "/api/items/1").http.json()
        host.invoke_event("on_order", queue_message("hello", dequeue_count=2))

The interpreter is ``$FAASKIT_PY313``, else ``/tmp/py313/bin/python``, else
``.venv313/bin/python`` under the project root, else ``python3.13`` on ``PATH``
(``.ci/setup_py313.sh`` creates ``.venv313``); :func:`runtime_python` returns ``None`` when none
has the runtime, so tests can skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from faaskit.testing._azure_deliveries import (
    blob_created,
    cosmos_documents,
    event_grid_event,
    event_hub_event,
    queue_message,
    service_bus_message,
    timer_tick,
)
from faaskit.testing._azure_process import (
    AzureHostError,
    RunnerProcess,
    route_prefix,
    runtime_python,
)
from faaskit.testing._azure_results import (
    Binding,
    FunctionInfo,
    HttpResult,
    Invocation,
    InvocationError,
    LogRecord,
    invocation_from_reply,
)
from faaskit.testing._azure_wire import (
    HostEvent,
    Typed,
    blob_path_params,
    http_data,
    match_route,
    sys_metadata,
    to_wire,
)

__all__ = [
    "AzureHost",
    "AzureHostError",
    "Binding",
    "FunctionInfo",
    "HostEvent",
    "HttpResult",
    "Invocation",
    "InvocationError",
    "LogRecord",
    "Typed",
    "blob_created",
    "cosmos_documents",
    "event_grid_event",
    "event_hub_event",
    "queue_message",
    "runtime_python",
    "service_bus_message",
    "timer_tick",
]


class AzureHost:
    """A function app loaded in the real Azure Functions Python runtime (a child process).

    ``app_dir`` holds ``function_app.py`` (and optionally ``host.json``, whose HTTP
    ``routePrefix`` is honoured, and ``local.settings.json``, whose ``Values`` become
    environment variables as with ``func start``). ``faaskit``, ``faaskit_azure`` and
    ``faaskit_aws`` are importable in the runtime; ``paths`` adds directories the app imports
    from. ``env`` sets further environment variables; ``timeout`` bounds each answer.
    """

    def __init__(
        self,
        app_dir: str | os.PathLike[str],
        *,
        python: str | None = None,
        paths: Sequence[str | os.PathLike[str]] = (),
        env: Mapping[str, str] | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.app_dir = Path(app_dir).resolve()
        self._process = RunnerProcess(
            self.app_dir,
            python=python,
            paths=[str(Path(p).resolve()) for p in paths],
            env=dict(env or {}),
            timeout=timeout,
        )
        self._functions: dict[str, FunctionInfo] = {}
        self._next_id = 0

    def __enter__(self) -> AzureHost:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start the runtime and index the app; raises AzureHostError when it does not index."""
        if not (self.app_dir / "function_app.py").is_file():
            raise AzureHostError(f"{self.app_dir}: no function_app.py to load")
        ready = self._process.start()
        if not ready.get("ok"):
            error = ready.get("error") or {}
            self.close()
            raise AzureHostError(
                f"{self.app_dir / 'function_app.py'}: the Azure runtime could not index the app: "
                f"{error.get('message', 'unknown error')}"
            )
        infos = (FunctionInfo.from_runner(item) for item in ready["functions"])
        self._functions = {info.name: info for info in infos}

    def close(self) -> None:
        """Stop the runtime process."""
        self._process.close()

    def functions(self) -> tuple[FunctionInfo, ...]:
        """Every function the runtime indexed, in declaration order."""
        return tuple(self._functions.values())

    def function(self, name: str) -> FunctionInfo:
        """The indexed function called ``name``."""
        try:
            return self._functions[name]
        except KeyError:
            known = ", ".join(self._functions) or "none"
            raise AzureHostError(f"no function {name!r} in the app (indexed: {known})") from None

    def _call(
        self, name: str, inputs: Mapping[str, Any], metadata: Mapping[str, Any]
    ) -> Invocation:
        self._next_id += 1
        reply = self._process.request(
            {
                "id": self._next_id,
                "function": name,
                "input_data": inputs,
                "trigger_metadata": {key: to_wire(value) for key, value in metadata.items()},
            }
        )
        if reply.get("harness_error"):
            raise AzureHostError(f"{name}: the harness failed: {reply['error']['message']}")
        return invocation_from_reply(name, reply)

    def invoke(
        self,
        name: str,
        trigger_type: str | None = None,
        data: Any = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        inputs: Mapping[str, Any] | None = None,
    ) -> Invocation:
        """Invoke ``name`` with ``data`` for its trigger parameter and ``metadata`` as trigger
        metadata (str -> string, bytes -> bytes, anything else -> JSON, or a :class:`Typed`).

        ``trigger_type`` (``"queueTrigger"`` or short ``"queue"``), when given, must be the
        function's trigger; ``inputs`` are further input bindings by name.
        """
        info = self.function(name)
        trigger = info.trigger
        if trigger_type is not None and trigger.type.lower() not in {
            trigger_type.lower(),
            f"{trigger_type.lower()}trigger",
        }:
            raise AzureHostError(f"{name}: its trigger is {trigger.type}, not {trigger_type}")
        wire = {trigger.name: to_wire(data)}
        wire.update({key: to_wire(value) for key, value in (inputs or {}).items()})
        full_metadata = dict(metadata or {})
        if trigger.type == "blobTrigger" and "BlobTrigger" in full_metadata:
            pattern = str(trigger.raw.get("path", ""))
            params = blob_path_params(pattern, str(full_metadata["BlobTrigger"]))
            full_metadata = {**params, **full_metadata}
        if trigger.type != "httpTrigger":
            full_metadata = {**sys_metadata(name), **full_metadata}
        return self._call(name, wire, full_metadata)

    def invoke_event(self, name: str, event: HostEvent) -> Invocation:
        """Invoke ``name`` with a delivery built by ``queue_message``, ``blob_created``, ..."""
        return self.invoke(name, event.trigger_type, event.data, event.metadata)

    def invoke_http(
        self,
        name: str,
        method: str = "GET",
        url: str = "/",
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        body: bytes | str | None = None,
        *,
        route_params: Mapping[str, str] | None = None,
    ) -> Invocation:
        """Invoke HTTP function ``name`` as the host would for this request; route parameters
        come from matching ``url`` against the function's route unless given.
        """
        info = self.function(name)
        trigger = info.trigger
        if trigger.type != "httpTrigger":
            raise AzureHostError(f"{name}: not an HTTP function (its trigger is {trigger.type})")
        methods = [str(m).upper() for m in trigger.raw.get("methods") or ()]
        if methods and method.upper() not in methods:
            allowed = ", ".join(methods)
            raise AzureHostError(f"{name}: accepts {allowed}, not {method.upper()}")
        if route_params is None:
            route = str(trigger.raw.get("route") or name)
            path = url if url.startswith("/") else "/" + url.split("/", 3)[-1]
            found = match_route(route, route_prefix(self.app_dir), path.split("?", 1)[0])
            if found is None:
                raise AzureHostError(f"{name}: {url} does not match its route {route!r}")
            route_params = found
        payload = body.encode() if isinstance(body, str) else (body or b"")
        request = http_data(method, url, headers, payload, route_params)
        return self._call(name, {trigger.name: request}, {})

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        body: bytes | str | None = None,
    ) -> Invocation:
        """Route a request to the HTTP function whose route and methods match, as the host."""
        path = (url if url.startswith("/") else "/" + url.split("/", 3)[-1]).split("?", 1)[0]
        prefix = route_prefix(self.app_dir)
        for info in self._functions.values():
            trigger = info.trigger
            if trigger.type != "httpTrigger":
                continue
            methods = [str(m).upper() for m in trigger.raw.get("methods") or ()]
            if methods and method.upper() not in methods:
                continue
            params = match_route(str(trigger.raw.get("route") or info.name), prefix, path)
            if params is not None:
                return self.invoke_http(info.name, method, url, headers, body, route_params=params)
        raise AzureHostError(f"no HTTP function matches {method.upper()} {path}")
