"""The Python 3.13 process that runs :mod:`faaskit.testing._azure_runner`, and finding it."""

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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from faaskit.exceptions import AzureHostError

__all__ = ["AzureHostError", "RunnerProcess", "route_prefix", "runtime_python"]

_RUNNER = Path(__file__).with_name("_azure_runner.py")
_PROBE = "import azure_functions_runtime, azure.functions, tests.protos.FunctionRpc_pb2"
_PACKAGES = ("faaskit", "faaskit_azure", "faaskit_aws")


def _project_root() -> Path:
    return Path(__file__).resolve().parents[2]


@functools.cache
def _has_runtime(python: str) -> bool:
    try:
        probe = subprocess.run(
            [python, "-E", "-P", "-c", _PROBE], capture_output=True, timeout=60, cwd="/"
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def runtime_python() -> str | None:
    """The first Python 3.13 with ``azure-functions-runtime`` installed, or None.

    Looked for in ``$FAASKIT_PY313``, ``/tmp/py313/bin/python``, ``.venv313/bin/python`` under
    the project root (made by ``.ci/setup_py313.sh``) or the working directory, and
    ``python3.13`` on ``PATH``.
    """
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
    imports them without the project root (and its ``tests/``) on ``sys.path``.
    """
    found = []
    for name in _PACKAGES:
        spec = importlib.util.find_spec(name)
        locations = list(spec.submodule_search_locations or []) if spec else []
        if locations:
            found.append(f"{name}={Path(locations[0]).parent}")
        elif (_project_root() / "adapters" / name).is_dir():
            found.append(f"{name}={_project_root() / 'adapters'}")
    return found


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise AzureHostError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(loaded, dict):
        raise AzureHostError(f"{path}: expected a JSON object")
    return loaded


def _settings(app_dir: Path) -> dict[str, str]:
    """``Values`` from the app's ``local.settings.json``, as ``func start`` exports them."""
    values = _read_json(app_dir / "local.settings.json").get("Values") or {}
    return {str(k): str(v) for k, v in dict(values).items()}


def route_prefix(app_dir: Path) -> str:
    """The HTTP route prefix from the app's ``host.json`` (``api`` unless set)."""
    http = (_read_json(app_dir / "host.json").get("extensions") or {}).get("http") or {}
    return str(http.get("routePrefix", "api"))


class RunnerProcess:
    """The runner in a child interpreter, spoken to in JSON lines over stdin and stdout."""

    def __init__(
        self,
        app_dir: Path,
        *,
        python: str | None,
        paths: Sequence[str],
        env: Mapping[str, str],
        timeout: float,
    ) -> None:
        self._app_dir = app_dir
        self._python = python
        self._paths = paths
        self._env = env
        self._timeout = timeout
        self._process: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()
        self._stderr: IO[str] | None = None

    def start(self) -> dict[str, Any]:
        """Start the runner; returns its ``ready`` report."""
        python = self._python or runtime_python()
        if python is None:
            raise AzureHostError(
                "no Python 3.13 with the Azure Functions runtime found (looked at $FAASKIT_PY313,"
                " .venv313, python3.13): install it with 'python3.13 -m pip install "
                '"faaskit[azure-runtime]"\' (azure-functions-runtime, azure-functions-runtime-v1,'
                " azure-functions, protobuf, grpcio) and set FAASKIT_PY313 to that interpreter; "
                "'faaskit doctor' names what is missing"
            )
        command = [python, "-E", "-P", str(_RUNNER), "--app", str(self._app_dir)]
        command += [arg for loc in _package_locations() for arg in ("--package", loc)]
        command += [arg for path in self._paths for arg in ("--path", path)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update({"FUNCTIONS_WORKER_RUNTIME": "python", **_settings(self._app_dir)})
        env.update(self._env)
        self._stderr = tempfile.TemporaryFile(  # noqa: SIM115 - closed by close()
            "w+", encoding="utf-8", errors="replace"
        )
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            cwd=self._app_dir,
            env=env,
        )
        threading.Thread(target=self._pump, args=(self._process.stdout,), daemon=True).start()
        return self._receive()

    def request(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Send one request line and wait for its reply."""
        if self._process is None or self._process.stdin is None:
            raise AzureHostError("the Azure host is not started (use it as a context manager)")
        try:
            self._process.stdin.write(json.dumps(payload) + "\n")
            self._process.stdin.flush()
        except OSError as exc:
            raise AzureHostError(f"the Azure runtime exited:\n{self._stderr_tail()}") from exc
        return self._receive()

    def close(self) -> None:
        """Ask the runner to stop, and kill it if it does not."""
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
