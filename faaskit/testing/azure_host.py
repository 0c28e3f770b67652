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

import functools
import importlib.util
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from faaskit.exceptions import FaaskitError
from faaskit.testing._azure_events import (
    blob_created,
    cosmos_documents,
    event_grid_event,
    event_hub_event,
    queue_message,
    service_bus_message,
    timer_tick,
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

_RUNNER = Path(__file__).with_name("_azure_runner.py")
_PROBE = "import azure_functions_runtime, azure.functions, tests.protos.FunctionRpc_pb2"
_PACKAGES = ("faaskit", "faaskit_azure", "faaskit_aws")


class AzureHostError(FaaskitError, RuntimeError):
    """The Azure runtime could not be started, the app did not index, or a call was wrong."""


def _project_root() -> Path:
    return Path(__file__).resolve().parents[2]


@functools.lru_cache(maxsize=None)
def _has_runtime(python: str) -> bool:
    try:
        probe = subprocess.run(
            [python, "-E", "-P", "-c", _PROBE], capture_output=True, timeout=60, cwd="/"
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def runtime_python() -> str | None:
    """The first Python 3.13 interpreter with ``azure-functions-runtime`` installed, or None."""
    candidates = [
        os.environ.get("FAASKIT_PY313", ""),
        "/tmp/py313/bin/python",
        str(_project_root() / ".venv313" / "bin" / "python"),
        str(Path.cwd() / ".venv313" / "bin" / "python"),
        shutil.which("python3.13") or "",
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and _has_runtime(candidate):
            return candidate
    return None


def _package_locations() -> list[str]:
    """``NAME=DIR`` for each faaskit package, DIR holding it, so the runtime's interpreter
    imports them without the project root (and its ``tests/``) on ``sys.path``."""
    found = []
    for name in _PACKAGES:
        spec = importlib.util.find_spec(name)
        locations = list(spec.submodule_search_locations or []) if spec else []
        if locations:
            found.append(f"{name}={Path(locations[0]).parent}")
        elif (_project_root() / "adapters" / name).is_dir():
            found.append(f"{name}={_project_root() / 'adapters'}")
    return found


def _settings(app_dir: Path) -> dict[str, str]:
    """``Values`` from the app's ``local.settings.json``, as ``func start`` exports them."""
    path = app_dir / "local.settings.json"
    if not path.is_file():
        return {}
    try:
        values = json.loads(path.read_text(encoding="utf-8")).get("Values", {})
    except (ValueError, AttributeError) as exc:
        raise AzureHostError(f"{path}: not valid JSON settings ({exc})") from exc
    return {str(k): str(v) for k, v in values.items()}


def _route_prefix(app_dir: Path) -> str:
    path = app_dir / "host.json"
    try:
        config = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        return str(config.get("extensions", {}).get("http", {}).get("routePrefix", "api"))
    except (ValueError, AttributeError) as exc:
        raise AzureHostError(f"{path}: not valid JSON ({exc})") from exc


class AzureHost:
    """A function app loaded in the real Azure Functions Python runtime (a child process)."""

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
        self._python = python
        self._paths = [str(Path(p).resolve()) for p in paths]
        self._env = dict(env or {})
        self._timeout = timeout
        self._process: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()
        self._stderr: IO[str] | None = None
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
        python = self._python or runtime_python()
        if python is None:
            raise AzureHostError(
                "no Python 3.13 with azure-functions-runtime found; run .ci/setup_py313.sh "
                "or set FAASKIT_PY313"
            )
        command = [python, "-E", "-P", str(_RUNNER), "--app", str(self.app_dir)]
        command += [arg for loc in _package_locations() for arg in ("--package", loc)]
        command += [arg for path in self._paths for arg in ("--path", path)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update({"FUNCTIONS_WORKER_RUNTIME": "python", **_settings(self.app_dir), **self._env})
        self._stderr = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            cwd=self.app_dir,
            env=env,
        )
        threading.Thread(target=self._pump, args=(self._process.stdout,), daemon=True).start()
        ready = self._receive()
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
        process, self._process = self._process, None
        if process is not None:
            try:
                if process.poll() is None and process.stdin is not None:
                    process.stdin.write(json.dumps({"op": "close", "id": 0}) + "\n")
                    process.stdin.close()
                process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._replies.put(line)
        self._replies.put(None)

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return "".join(self._stderr.readlines()[-20:])

    def _receive(self) -> dict[str, Any]:
        try:
            line = self._replies.get(timeout=self._timeout)
        except queue.Empty:
            raise AzureHostError(
                f"the Azure runtime did not answer within {self._timeout:g}s"
            ) from None
        if line is None:
            raise AzureHostError(f"the Azure runtime exited:\n{self._stderr_tail()}")
        reply: dict[str, Any] = json.loads(line)
        return reply

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

    def _call(self, name: str, inputs: Mapping[str, Any], metadata: Mapping[str, Any]) -> Invocation:
        if self._process is None or self._process.stdin is None:
            raise AzureHostError("the Azure host is not started (use it as a context manager)")
        self._next_id += 1
        request = {"id": self._next_id, "function": name, "input_data": inputs}
        request["trigger_metadata"] = {key: to_wire(value) for key, value in metadata.items()}
        try:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
        except OSError as exc:
            raise AzureHostError(f"the Azure runtime exited:\n{self._stderr_tail()}") from exc
        reply = self._receive()
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
        come from matching ``url`` against the function's route unless given."""
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
            found = match_route(route, _route_prefix(self.app_dir), path.split("?", 1)[0])
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
        prefix = _route_prefix(self.app_dir)
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

