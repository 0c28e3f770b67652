"""Drive the real Azure Functions Python runtime in process, as the Functions host would.

Run by :class:`faaskit.testing.azure_host.AzureHost` under Python 3.13 with
``azure-functions-runtime`` installed, as ``python -E -P _azure_runner.py --app DIR``. It plays
the host's side of the gRPC conversation without a socket: it builds the protobuf messages the
host sends (``WorkerInitRequest``, ``FunctionsMetadataRequest``, ``FunctionLoadRequest``,
``InvocationRequest``) with the classes shipped in ``azure-functions-runtime-v1`` as
``tests.protos`` and awaits the runtime's own handlers (``azure_functions_runtime.handle_event``),
which index ``function_app.py``, decode TypedData through ``azure.functions`` and call the user's
function. Message shapes: https://github.com/Azure/azure-functions-language-worker-protobuf
(``FunctionRpc.proto``).

Protocol: JSON lines. The runner writes one ``{"event": "ready", ...}`` line, then answers each
request line (``{"id", "op": "invoke"|"close", ...}``) with one line carrying the same ``id``.
The user's ``print`` output goes to stderr so that stdout carries only the protocol.
Standard library only (plus the runtime): the faaskit package need not be importable here.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import logging
import os
import sys
import uuid
from collections.abc import Sequence
from typing import Any, TextIO


def _load_sibling(name: str) -> Any:
    """A module next to this file, loaded by path (this folder is not on ``sys.path``)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_faaskit_runner{name}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_protos = _load_sibling("_azure_protos")


class _Request:
    """The envelope the runtime's handlers take: the StreamingMessage plus host properties."""

    def __init__(self, name: str, request: Any, properties: dict[str, Any]) -> None:
        self.name = name
        self.request = request
        self.properties = properties


class _Packages(importlib.abc.MetaPathFinder):
    """Finds only the named top-level packages, each in its own directory.

    This makes ``faaskit`` importable without putting the project root (which holds the
    project's ``tests/``) on ``sys.path``.
    """

    def __init__(self, locations: dict[str, str]) -> None:
        self._locations = locations

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        where = self._locations.get(fullname)
        if where is None:
            return None
        return importlib.machinery.PathFinder.find_spec(fullname, [where])


class _Capture(logging.Handler):
    """Keeps the log records of one invocation, as the host would receive them as RpcLog."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[dict[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
        system = record.name.startswith(("azure.functions", "azure_functions"))
        self.records.append(
            {
                "level": record.levelname,
                "logger": record.name,
                "category": "system" if system else "user",
                "message": message,
            }
        )


class _Runner:
    """One function app loaded in the runtime, answering invocation requests."""

    def __init__(self, app_dir: str, protos: Any, messages: Any) -> None:
        self.app_dir = app_dir
        self.protos = protos
        self.pb = messages
        self.runtime: Any = importlib.import_module("azure_functions_runtime")
        self.loop = asyncio.new_event_loop()
        self.capture = _Capture()
        self.functions: dict[str, Any] = {}

    def _call(self, handler: str, **message: Any) -> Any:
        envelope = self.pb.StreamingMessage(request_id=uuid.uuid4().hex, **message)
        request = _Request(handler, envelope, {"host": "127.0.0.1", "protos": self.protos})
        return self.loop.run_until_complete(getattr(self.runtime, handler)(request))

    def start(self) -> dict[str, Any]:
        protos = self.pb
        self.runtime.start_threadpool_executor()
        init = self._call(
            "worker_init_request",
            worker_init_request=protos.WorkerInitRequest(
                host_version="4.0.0",
                function_app_directory=self.app_dir,
                worker_directory=os.path.dirname(self.runtime.__file__),
                capabilities={},
            ),
        )
        if init.result.status != protos.StatusResult.Success:
            return {"event": "ready", "ok": False, "error": _protos.exception(init.result)}
        metadata = self._call(
            "functions_metadata_request",
            functions_metadata_request=protos.FunctionsMetadataRequest(
                function_app_directory=self.app_dir
            ),
        )
        described = []
        for meta in metadata.function_metadata_results:
            load = self._call(
                "function_load_request",
                function_load_request=protos.FunctionLoadRequest(
                    function_id=meta.function_id, metadata=meta
                ),
            )
            if load.result.status != protos.StatusResult.Success:
                return {"event": "ready", "ok": False, "error": _protos.exception(load.result)}
            self.functions[meta.name] = meta
            described.append(_protos.describe(meta))
        return {"event": "ready", "ok": True, "functions": described}

    def invoke(self, request: dict[str, Any]) -> dict[str, Any]:
        protos = self.pb
        meta = self.functions.get(request["function"])
        if meta is None:
            known = ", ".join(sorted(self.functions)) or "none"
            message = f"no function named {request['function']!r} (indexed: {known})"
            return {"ok": False, "error": {"message": message, "stack_trace": "", "type": ""}}
        invocation_id = request.get("invocation_id") or str(uuid.uuid4())
        inputs = [
            protos.ParameterBinding(name=name, data=_protos.typed_to_proto(protos, value))
            for name, value in request.get("input_data", {}).items()
        ]
        metadata = {
            key: _protos.typed_to_proto(protos, value)
            for key, value in request.get("trigger_metadata", {}).items()
        }
        retry = request.get("retry", {})
        invocation = protos.InvocationRequest(
            invocation_id=invocation_id,
            function_id=meta.function_id,
            input_data=inputs,
            trigger_metadata=metadata,
            trace_context=protos.RpcTraceContext(
                trace_parent=request.get("trace_parent", ""), trace_state=""
            ),
            retry_context=protos.RetryContext(
                retry_count=retry.get("count", 0), max_retry_count=retry.get("max", 0)
            ),
        )
        self.capture.records = []
        response = self._call("invocation_request", invocation_request=invocation)
        sys.stderr.flush()
        return {
            "ok": response.result.status == protos.StatusResult.Success,
            "invocation_id": response.invocation_id,
            "return_value": (
                _protos.typed_from_proto(response.return_value)
                if response.HasField("return_value")
                else None
            ),
            "outputs": {b.name: _protos.typed_from_proto(b.data) for b in response.output_data},
            "error": _protos.exception(response.result),
            "logs": list(self.capture.records),
        }


def _import_protos() -> tuple[Any, Any]:
    """The runtime's protobuf package and its generated module, from the runtime's wheel.

    Imported before any app path is added, so a ``tests`` folder in the app cannot shadow them.
    """
    protos = importlib.import_module("tests.protos")
    if "site-packages" not in (protos.__file__ or ""):
        raise ImportError(f"tests.protos resolved to {protos.__file__}, not the runtime's wheel")
    return protos, importlib.import_module("tests.protos.FunctionRpc_pb2")


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app", required=True, help="function app directory")
    parser.add_argument("--package", action="append", default=[], help="NAME=DIR to import")
    parser.add_argument("--path", action="append", default=[], help="extra sys.path entry")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Load the app, report readiness, then serve requests until stdin closes."""
    args = _parse(sys.argv[1:] if argv is None else argv)
    channel: TextIO = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if p not in ("", ".", here)]

    def send(payload: dict[str, Any]) -> None:
        channel.write(json.dumps(payload) + "\n")
        channel.flush()

    try:
        protos, messages = _import_protos()
    except ImportError as exc:
        send({"event": "ready", "ok": False, "error": {"message": str(exc), "stack_trace": ""}})
        return 2
    locations = dict(item.split("=", 1) for item in args.package)
    sys.meta_path.insert(0, _Packages(locations))
    app_dir = os.path.abspath(args.app)
    sys.path[:0] = [app_dir, *args.path]
    os.chdir(app_dir)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    runner = _Runner(app_dir, protos, messages)
    root.addHandler(runner.capture)
    ready = runner.start()
    send(ready)
    if not ready["ok"]:
        return 1
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("op") == "close":
            send({"id": request.get("id"), "ok": True})
            break
        try:
            reply = runner.invoke(request)
        except Exception as exc:  # a harness bug or bad request: report it, keep serving
            error = {"message": f"{type(exc).__name__}: {exc}", "stack_trace": "", "type": ""}
            reply = {"ok": False, "error": error, "harness_error": True}
        reply["id"] = request.get("id")
        send(reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
