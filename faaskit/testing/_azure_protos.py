"""Protobuf <-> JSON for the Azure runner: TypedData, RpcHttp, cookies, exceptions, metadata.

Loaded by :mod:`faaskit.testing._azure_runner` from its file, inside the Python 3.13 process,
on the message classes of ``FunctionRpc.proto``
(https://github.com/Azure/azure-functions-language-worker-protobuf). Standard library only.
JSON form of a TypedData: ``{"<oneof field>": value}``, bytes as base64.
"""

from __future__ import annotations

import base64
import json
from typing import Any

__all__ = ["describe", "exception", "typed_from_proto", "typed_to_proto"]


def typed_to_proto(protos: Any, value: Any) -> Any:
    """The ``TypedData`` message for a value in JSON form (None: an empty TypedData)."""
    if value is None:
        return protos.TypedData()
    ((kind, data),) = value.items()
    if kind == "bytes":
        return protos.TypedData(bytes=base64.b64decode(data))
    if kind in ("string", "json", "int", "double"):
        return protos.TypedData(**{kind: data})
    if kind == "collection_string":
        return protos.TypedData(collection_string=protos.CollectionString(string=data))
    if kind == "collection_bytes":
        items = [base64.b64decode(item) for item in data]
        return protos.TypedData(collection_bytes=protos.CollectionBytes(bytes=items))
    if kind == "collection_sint64":
        return protos.TypedData(collection_sint64=protos.CollectionSInt64(sint64=data))
    if kind == "collection_double":
        return protos.TypedData(collection_double=protos.CollectionDouble(double=data))
    if kind == "http":
        return protos.TypedData(
            http=protos.RpcHttp(
                method=data["method"],
                url=data["url"],
                headers=data.get("headers", {}),
                query=data.get("query", {}),
                params=data.get("params", {}),
                body=typed_to_proto(protos, data.get("body")),
            )
        )
    raise ValueError(f"unknown TypedData kind {kind!r}")


def typed_from_proto(typed: Any) -> Any:
    """A ``TypedData`` message in JSON form (None when no field is set)."""
    if typed is None:
        return None
    kind = typed.WhichOneof("data")
    if kind is None:
        return None
    if kind in ("bytes", "stream"):
        return {"bytes": base64.b64encode(getattr(typed, kind)).decode("ascii")}
    if kind in ("string", "json", "int", "double"):
        return {kind: getattr(typed, kind)}
    if kind == "http":
        return {"http": _http_from_proto(typed.http)}
    if kind == "collection_bytes":
        items = [base64.b64encode(item).decode("ascii") for item in typed.collection_bytes.bytes]
        return {kind: items}
    collection = getattr(typed, kind)
    field = kind.removeprefix("collection_")
    return {kind: list(getattr(collection, field))}


def _cookie_from_proto(cookie: Any) -> dict[str, Any]:
    """An ``RpcHttpCookie`` with its nullable wrappers unwrapped (None when unset)."""
    flat: dict[str, Any] = {"name": cookie.name, "value": cookie.value}
    for field in ("domain", "path", "secure", "http_only", "max_age"):
        flat[field] = getattr(cookie, field).value if cookie.HasField(field) else None
    expires = cookie.expires.value if cookie.HasField("expires") else None
    flat["expires"] = expires.ToJsonString() if expires is not None else None
    same_site = type(cookie).SameSite.Name(cookie.same_site)
    flat["same_site"] = None if same_site == "None" else same_site.replace("Explicit", "")
    return flat


def _http_from_proto(http: Any) -> dict[str, Any]:
    return {
        "status_code": http.status_code,
        "headers": dict(http.headers),
        "body": typed_from_proto(http.body) if http.HasField("body") else None,
        "cookies": [_cookie_from_proto(cookie) for cookie in http.cookies],
    }


def exception(status: Any) -> dict[str, str] | None:
    """The ``RpcException`` of a ``StatusResult``, if any."""
    if not status.HasField("exception"):
        return None
    exc = status.exception
    return {"message": exc.message, "stack_trace": exc.stack_trace, "type": exc.type}


def describe(meta: Any) -> dict[str, Any]:
    """An ``RpcFunctionMetadata`` in JSON form, raw bindings parsed."""
    bindings = {
        name: {
            "type": info.type,
            "direction": type(info).Direction.Name(info.direction),
            "data_type": type(info).DataType.Name(info.data_type),
        }
        for name, info in meta.bindings.items()
    }
    return {
        "name": meta.name,
        "function_id": meta.function_id,
        "directory": meta.directory,
        "script_file": meta.script_file,
        "entry_point": meta.entry_point,
        "bindings": bindings,
        "raw_bindings": [json.loads(raw) for raw in meta.raw_bindings],
    }
