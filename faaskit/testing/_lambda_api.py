"""The Lambda Runtime API endpoints (HTTP/1.1) that :class:`LambdaRuntime` serves.

https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from concurrent.futures import Future
from http.server import ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import attrs

from faaskit.exceptions import LambdaFunctionError
from faaskit.testing._http_server import QuietHandler

if TYPE_CHECKING:
    from faaskit.testing.lambda_runtime import LambdaRuntime

__all__ = ["Invocation", "LambdaFunctionError", "Server"]

PREFIX = "/2018-06-01/runtime"


@attrs.frozen(kw_only=True)
class Invocation:
    """One queued invocation and the future its answer settles."""

    request_id: str
    body: bytes
    deadline_ms: int
    trace_id: str
    future: Future[Any] = attrs.field(eq=False)


class _Api(QuietHandler):
    server: Server

    def _reply(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            self._send(status, data, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the runtime client went away (shutdown)

    def _send(self, status: int, data: bytes, headers: Mapping[str, str] | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path != f"{PREFIX}/invocation/next":
            self._reply(404, {"errorMessage": f"unknown path {self.path}"})
            return
        runtime = self.server.runtime
        item = runtime._pending.get()
        if item is None:  # shutting down
            self._reply(500, {"errorMessage": "runtime emulator stopped"})
            self.close_connection = True
            return
        runtime._running[item.request_id] = item
        self._reply(
            200,
            item.body,
            {
                "Lambda-Runtime-Aws-Request-Id": item.request_id,
                "Lambda-Runtime-Deadline-Ms": str(item.deadline_ms),
                "Lambda-Runtime-Invoked-Function-Arn": runtime.function_arn,
                "Lambda-Runtime-Trace-Id": item.trace_id,
            },
        )

    def do_POST(self) -> None:
        body = self.read_body()
        runtime = self.server.runtime
        parts = self.path[len(PREFIX) :].strip("/").split("/")
        if parts == ["init", "error"]:
            runtime._init_failed(
                _load(body), self.headers.get("Lambda-Runtime-Function-Error-Type")
            )
            self._reply(202, {"status": "OK"})
            return
        if len(parts) != 3 or parts[0] != "invocation" or parts[2] not in ("response", "error"):
            self._reply(404, {"errorMessage": f"unknown path {self.path}"})
            return
        item = runtime._running.pop(parts[1], None)
        if item is None:
            self._reply(400, {"errorMessage": f"unknown request id {parts[1]}"})
            return
        self._reply(202, {"status": "OK"})
        if parts[2] == "response":
            item.future.set_result(_load(body))
        else:
            error = _load(body)
            kind = self.headers.get("Lambda-Runtime-Function-Error-Type") or (
                error.get("errorType") if isinstance(error, dict) else None
            )
            message = error.get("errorMessage") if isinstance(error, dict) else error
            item.future.set_exception(
                LambdaFunctionError(f"function error: {message}", error=error, error_type=kind)
            )


def _load(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return body.decode("utf-8", "replace")


class Server(ThreadingHTTPServer):
    """The Runtime API server of one :class:`LambdaRuntime`."""

    daemon_threads = True
    runtime: LambdaRuntime

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Api)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A runtime client stopped mid-request (closing, a timeout) is not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
