"""What the Azure harness reports: indexed functions and their bindings, invocation results."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from faaskit.testing._azure_process import AzureHostError
from faaskit.testing._azure_wire import from_wire

__all__ = [
    "Binding",
    "FunctionInfo",
    "HttpResult",
    "Invocation",
    "InvocationError",
    "LogRecord",
    "invocation_from_reply",
]


@attrs.frozen(kw_only=True)
class Binding:
    """One binding as the worker reported it: ``type`` (``httpTrigger``, ``queue``, ...),
    ``direction`` (``in``/``out``/``inout``), ``data_type``, and ``raw``, its full JSON
    (``route``, ``methods``, ``authLevel``, ``queueName``, ``path``, ``schedule``, ...).
    """

    name: str
    type: str
    direction: str
    data_type: str
    raw: Mapping[str, Any]


@attrs.frozen(kw_only=True)
class FunctionInfo:
    """A function the runtime indexed (``RpcFunctionMetadata``)."""

    name: str
    function_id: str
    script_file: str
    entry_point: str
    bindings: tuple[Binding, ...]

    @property
    def trigger(self) -> Binding:
        """The function's trigger binding."""
        for binding in self.bindings:
            if binding.type.endswith("Trigger") and binding.direction == "in":
                return binding
        raise AzureHostError(f"{self.name}: the worker reported no trigger binding")

    def binding(self, name: str) -> Binding:
        """The binding called ``name`` (``$return`` for the return value)."""
        for binding in self.bindings:
            if binding.name == name:
                return binding
        raise AzureHostError(f"{self.name}: no binding named {name!r}")

    @classmethod
    def from_runner(cls, item: Mapping[str, Any]) -> FunctionInfo:
        """Build from the runner's description of one ``RpcFunctionMetadata``."""
        raw_by_name = {raw.get("name"): raw for raw in item["raw_bindings"]}
        bindings = tuple(
            Binding(
                name=name,
                type=info["type"],
                direction=info["direction"],
                data_type=info["data_type"],
                raw=raw_by_name.get(name, {}),
            )
            for name, info in item["bindings"].items()
        )
        return cls(
            name=item["name"],
            function_id=item["function_id"],
            script_file=item["script_file"],
            entry_point=item["entry_point"],
            bindings=bindings,
        )


@attrs.frozen(kw_only=True)
class HttpResult:
    """An HTTP response the function returned (``RpcHttp``)."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    cookies: tuple[Mapping[str, Any], ...] = ()
    """``RpcHttpCookie`` fields: name, value, domain, path, expires, max_age, secure,
    http_only, same_site (None when unset)."""

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8")

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)

    def set_cookies(self) -> list[str]:
        """The cookies as the ``Set-Cookie`` header values the host writes for them."""
        rendered = []
        for cookie in self.cookies:
            parts = [f"{cookie['name']}={cookie['value']}"]
            for key, label in (("expires", "expires"), ("max_age", "max-age")):
                if cookie.get(key) is not None:
                    parts.append(f"{label}={cookie[key]}")
            for key in ("domain", "path"):
                if cookie.get(key):
                    parts.append(f"{key}={cookie[key]}")
            if cookie.get("secure"):
                parts.append("secure")
            if cookie.get("same_site"):
                parts.append(f"samesite={str(cookie['same_site']).lower()}")
            if cookie.get("http_only"):
                parts.append("httponly")
            rendered.append("; ".join(parts))
        return rendered

    def header(self, name: str) -> str | None:
        """A response header, by case-insensitive name."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


@attrs.frozen(kw_only=True)
class InvocationError:
    """The exception the runtime reported (``RpcException``): ``Type: message`` and trace."""

    message: str
    stack_trace: str


@attrs.frozen(kw_only=True)
class LogRecord:
    """A log record emitted during the invocation; ``category`` is ``user`` or ``system``."""

    level: str
    logger: str
    category: str
    message: str


@attrs.frozen(kw_only=True)
class Invocation:
    """The runtime's ``InvocationResponse``: success, ``$return``, output bindings, error, logs."""

    function: str
    invocation_id: str
    ok: bool
    return_value: Any
    outputs: Mapping[str, Any]
    error: InvocationError | None
    logs: tuple[LogRecord, ...]

    @property
    def http(self) -> HttpResult:
        """The HTTP response (``$return`` or an ``http`` output binding)."""
        if not self.ok:
            detail = self.error.message if self.error else "unknown error"
            raise AzureHostError(f"{self.function} failed, so it has no HTTP response: {detail}")
        candidates = [self.return_value, *self.outputs.values()]
        for value in candidates:
            if isinstance(value, HttpResult):
                return value
        raise AzureHostError(f"{self.function} returned no HTTP response")

    def user_logs(self) -> list[str]:
        """Messages logged by the function itself (not by the runtime)."""
        return [record.message for record in self.logs if record.category == "user"]


def _value(wire: Mapping[str, Any] | None) -> Any:
    if wire and "http" in wire:
        http = wire["http"]
        body = from_wire(http.get("body"))
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, bytes):
            body = b"" if body is None else json.dumps(body).encode("utf-8")
        return HttpResult(
            status=int(http.get("status_code") or 200),
            headers=dict(http.get("headers", {})),
            body=body,
            cookies=tuple(http.get("cookies", ())),
        )
    return from_wire(wire)


def invocation_from_reply(function: str, reply: Mapping[str, Any]) -> Invocation:
    """Build an :class:`Invocation` from the runner's reply to one invocation."""
    error = reply.get("error")
    return Invocation(
        function=function,
        invocation_id=str(reply.get("invocation_id", "")),
        ok=bool(reply.get("ok")),
        return_value=_value(reply.get("return_value")),
        outputs={name: _value(value) for name, value in reply.get("outputs", {}).items()},
        error=(
            InvocationError(message=error["message"], stack_trace=error.get("stack_trace", ""))
            if error
            else None
        ),
        logs=tuple(LogRecord(**record) for record in reply.get("logs", ())),
    )
