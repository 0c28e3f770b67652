"""A Lambda Runtime API emulator on loopback that runs a handler inside the real AWS runtime
interface client (``python -m awslambdaric module.handler``, PyPI ``awslambdaric``).

Runtime API: https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html (HTTP/1.1:
``GET /2018-06-01/runtime/invocation/next``, ``POST .../invocation/{id}/response``,
``POST .../invocation/{id}/error``, ``POST .../init/error``). Environment variables:
https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html

>>> with LambdaRuntime("app.handler", task_root="samples/hello_http") as rt:  # doctest: +SKIP
...     response = rt.invoke({"version": "2.0", ...})
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from faaskit.testing._lambda_api import Invocation, LambdaFunctionError, Server

__all__ = ["LambdaFunctionError", "LambdaRuntime"]

_PREFIX = "/2018-06-01/runtime"


class LambdaRuntime:
    """Run ``handler`` (``module.attribute``) in ``awslambdaric`` against a local Runtime API.

    ``task_root`` is the folder holding the handler module (``LAMBDA_TASK_ROOT``);
    ``python_path`` lists extra import folders (faaskit itself, for example); ``output`` names a
    file that collects the client's stdout and stderr (what CloudWatch Logs would receive).
    ``invoke(event)``
    returns the function's response, or raises :class:`LambdaFunctionError`. As on Lambda, an
    invocation that times out or ends the runtime client's process costs that invocation only:
    the client is stopped and the next invocation starts a fresh one (a cold start).
    """

    def __init__(
        self,
        handler: str,
        *,
        task_root: str | Path = ".",
        function_name: str = "faaskit-local",
        memory_mb: int = 128,
        timeout: float = 30.0,
        region: str = "us-east-1",
        env: Mapping[str, str] | None = None,
        python: str = sys.executable,
        python_path: Iterable[str | Path] = (),
        stream_output: bool = False,
        output: str | Path | None = None,
    ) -> None:
        self.handler = handler
        self.task_root = Path(task_root).resolve()
        self.function_name = function_name
        self.memory_mb = memory_mb
        self.timeout = timeout
        self.region = region
        self.function_arn = f"arn:aws:lambda:{region}:123456789012:function:{function_name}"
        self.python = python
        self.python_path = [str(Path(p).resolve()) for p in python_path]
        self.extra_env = dict(env or {})
        self.stream_output = stream_output
        self.output = None if output is None else Path(output)
        self.init_error: Any = None
        self._pending: queue.Queue[Invocation | None] = queue.Queue()
        self._running: dict[str, Invocation] = {}
        self._server: Server | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._watcher: threading.Thread | None = None
        self._lock = threading.Lock()
        self._restart_lock = threading.Lock()

    @property
    def address(self) -> str:
        """``host:port`` of the Runtime API (``AWS_LAMBDA_RUNTIME_API``)."""
        if self._server is None:
            raise RuntimeError("the runtime emulator is not started")
        host, port = self._server.server_address[:2]
        return f"{host!s}:{port}"

    def environment(self) -> dict[str, str]:
        """The environment the runtime client starts with, as Lambda sets it."""
        env = dict(os.environ)
        path = [str(self.task_root), *self.python_path]
        if env.get("PYTHONPATH"):
            path.append(env["PYTHONPATH"])
        env.update(
            {
                "AWS_LAMBDA_RUNTIME_API": self.address,
                "_HANDLER": self.handler,
                "LAMBDA_TASK_ROOT": str(self.task_root),
                "LAMBDA_RUNTIME_DIR": str(Path(self.python).parent),
                "AWS_LAMBDA_FUNCTION_NAME": self.function_name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.memory_mb),
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{self.function_name}",
                "AWS_LAMBDA_LOG_STREAM_NAME": "2024/01/01/[$LATEST]" + uuid.uuid4().hex,
                "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
                "AWS_REGION": self.region,
                "AWS_DEFAULT_REGION": self.region,
                "AWS_EXECUTION_ENV": "AWS_Lambda_python{}.{}".format(*sys.version_info[:2]),
                "PYTHONPATH": os.pathsep.join(path),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def start(self) -> LambdaRuntime:
        """Listen on a free loopback port and start the runtime client process."""
        server = Server(("127.0.0.1", 0))
        server.runtime = self
        self._server = server
        threading.Thread(
            target=server.serve_forever, name="lambda-runtime-api", daemon=True
        ).start()
        self._spawn()
        return self

    def _spawn(self) -> None:
        output: Any = None if self.stream_output else subprocess.DEVNULL
        if self.output is not None:  # appended to, so a restarted client adds to it
            with self.output.open("ab") as sink:
                process = self._popen(sink)
        else:
            process = self._popen(output)
        self._process = process
        self._watcher = threading.Thread(
            target=self._watch, args=(process,), name="lambda-runtime-watch", daemon=True
        )
        self._watcher.start()

    def _popen(self, output: Any) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [self.python, "-m", "awslambdaric", self.handler],
            cwd=self.task_root,
            env=self.environment(),
            stdout=output,
            stderr=output,
        )

    def _discard(self) -> None:
        """Stop the runtime client and settle what it held, ready for a fresh one."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        if self._watcher is not None:
            self._watcher.join()
        stale, self._pending = self._pending, queue.Queue()
        stale.put(None)  # answers a next-invocation request the old client left waiting

    def _restart(self, timed_out: Invocation) -> None:
        """Replace the client stuck in the ``timed_out`` invocation (Lambda stops that
        sandbox); invocations waiting behind it run in the fresh one.
        """
        with self._restart_lock:
            if self._server is None:
                return  # closed meanwhile
            with self._lock:
                waiting = []
                while not self._pending.empty():
                    item = self._pending.get_nowait()
                    if item is not None and item is not timed_out:
                        waiting.append(item)
            self._discard()
            self._spawn()
            for item in waiting:
                self._pending.put(item)

    def _ready(self) -> subprocess.Popen[bytes]:
        """The running client: started on first use, restarted after a crash or a timeout."""
        with self._restart_lock:
            if self._process is None:
                self.start()
            elif self._process.poll() is not None and self.init_error is None:
                self._discard()
                self._spawn()
            assert self._process is not None
            return self._process

    def _watch(self, process: subprocess.Popen[bytes]) -> None:
        code = process.wait()
        message = f"the runtime client exited with code {code}"
        if self.init_error is not None:
            message = f"init error: {_describe(self.init_error)}"
        self._fail_all(LambdaFunctionError(message, error=self.init_error))

    def _fail_all(self, error: BaseException) -> None:
        with self._lock:
            items = list(self._running.values())
            self._running.clear()
            while True:
                try:
                    item = self._pending.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    items.append(item)
        for item in items:
            if not item.future.done():
                item.future.set_exception(error)

    def _init_failed(self, error: Any, error_type: str | None) -> None:
        self.init_error = error

    def invoke(self, event: Any, *, timeout: float | None = None) -> Any:
        """Send one invocation and wait for the function's response."""
        if self._ready().poll() is not None:
            raise LambdaFunctionError(
                f"the runtime client is not running (init error: {_describe(self.init_error)})",
                error=self.init_error,
            )
        limit = self.timeout if timeout is None else timeout
        request_id = str(uuid.uuid4())
        trace = (
            f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};"
            f"Parent={uuid.uuid4().hex[:16]};Sampled=0"
        )
        item = Invocation(
            request_id=request_id,
            body=json.dumps(event).encode(),
            deadline_ms=int(time.time() * 1000 + limit * 1000),
            trace_id=trace,
            future=Future(),
        )
        self._pending.put(item)
        try:
            return item.future.result(timeout=limit + 5)
        except TimeoutError:
            self._restart(item)
            raise LambdaFunctionError(
                f"Task timed out after {limit:.2f} seconds", error_type="Sandbox.Timedout"
            ) from None

    def close(self) -> None:
        """Stop the runtime client and the Runtime API server."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        server, self._server = self._server, None
        if server is not None:
            self._pending.put(None)
            server.shutdown()
            server.server_close()

    def __enter__(self) -> LambdaRuntime:
        return self.start() if self._process is None else self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _describe(error: Any) -> str:
    if isinstance(error, dict):
        return f"{error.get('errorType', 'Error')}: {error.get('errorMessage', '')}"
    return str(error)
