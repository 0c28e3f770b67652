"""What the Azure Functions host sends the Python worker: TypedData, trigger metadata, routes.

The host converts each value it hands the worker with one rule: ``bytes`` become ``bytes``,
strings ``string``, everything else (numbers, dates, objects) JSON (``json``); HTTP requests
become ``RpcHttp`` with lower-cased header names, repeated values joined by commas and route
parameters in ``params``. Sources: azure-functions-host ``RpcMessageConversionExtensions``
(``ToRpc``, ``ToRpcHttp``) and the binding metadata keys the ``azure.functions`` converters read
(``queue.py``, ``blob.py``, ``timer.py``, ``servicebus.py``, ``eventhub.py``), documented at
https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#message-metadata
and the sibling pages for each binding.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs

__all__ = [
    "HostEvent",
    "Typed",
    "blob_path_params",
    "http_data",
    "match_route",
    "sys_metadata",
    "to_wire",
]

DEFAULT_HOST = "localhost:7071"


@attrs.frozen(kw_only=True)
class Typed:
    """A TypedData value given explicitly: ``kind`` is the oneof field (``json``, ``string``,
    ``bytes``, ``int``, ``double``, ``collection_string``, ...).
    """

    kind: str
    value: Any


@attrs.frozen(kw_only=True)
class HostEvent:
    """One trigger delivery as the host would send it: the trigger's binding type, its data and
    the trigger metadata.
    """

    trigger_type: str
    data: Any
    metadata: Mapping[str, Any] = attrs.field(factory=dict)


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot send {type(value).__name__} to the worker as JSON")


def to_wire(value: Any) -> dict[str, Any] | None:
    """``value`` as the host would type it, in the runner's JSON form (``{"kind": value}``)."""
    if value is None:
        return None
    if isinstance(value, Typed):
        if value.kind == "bytes":
            return {"bytes": base64.b64encode(value.value).decode("ascii")}
        if value.kind == "collection_bytes":
            return {value.kind: [base64.b64encode(item).decode("ascii") for item in value.value]}
        return {value.kind: value.value}
    if isinstance(value, bytes | bytearray):
        return {"bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, str):
        return {"string": value}
    return {"json": json.dumps(value, default=_json_default, separators=(",", ":"))}


def from_wire(value: Mapping[str, Any] | None) -> Any:
    """A TypedData value from the runner back to Python: ``json`` is parsed, ``bytes``
    decoded; ``http`` is left as the mapping the runner sent.
    """
    if not value:
        return None
    ((kind, data),) = value.items()
    if kind == "bytes":
        return base64.b64decode(data)
    if kind == "json":
        return json.loads(data)
    if kind == "collection_bytes":
        return [base64.b64decode(item) for item in data]
    return data


def sys_metadata(function: str) -> dict[str, Any]:
    """The ``sys`` entry the host adds to every non-HTTP trigger's metadata."""
    now = _dt.datetime.now(_dt.timezone.utc).isoformat().replace("+00:00", "Z")
    return {"sys": {"MethodName": function, "UtcNow": now, "RandGuid": str(uuid.uuid4())}}


def _joined(pairs: Iterable[tuple[str, str]], *, lower: bool) -> dict[str, str]:
    merged: dict[str, str] = {}
    for key, value in pairs:
        name = key.lower() if lower else key
        merged[name] = f"{merged[name]},{value}" if name in merged else value
    return merged


def _pairs(headers: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> list[tuple[str, str]]:
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        return [(str(k), str(v)) for k, v in headers.items()]
    return [(str(k), str(v)) for k, v in headers]


def http_data(
    method: str,
    url: str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None,
    body: bytes,
    params: Mapping[str, str],
) -> dict[str, Any]:
    """The ``RpcHttp`` TypedData for one request, in the runner's JSON form."""
    if url.startswith("/"):
        url = f"http://{DEFAULT_HOST}{url}"
    parts = urlsplit(url)
    header_pairs = _pairs(headers)
    names = {name.lower() for name, _ in header_pairs}
    if "host" not in names:
        header_pairs.append(("host", parts.netloc or DEFAULT_HOST))
    if body and "content-length" not in names:
        header_pairs.append(("content-length", str(len(body))))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if v]
    http: dict[str, Any] = {
        "method": method.upper(),
        "url": url,
        "headers": _joined(header_pairs, lower=True),
        "query": _joined(query, lower=False),
        "params": dict(params),
    }
    if body:
        http["body"] = to_wire(body)
    return {"http": http}


_PARAM = re.compile(r"\{(\*?)([A-Za-z_][A-Za-z0-9_]*)(\?)?(?::([^}]*))?\}")
_CONSTRAINTS = {
    "int": r"-?\d+",
    "long": r"-?\d+",
    "alpha": r"[A-Za-z]+",
    "bool": r"(?i:true|false)",
}


def _route_regex(template: str, *, any_depth: bool = False) -> re.Pattern[str]:
    pattern, position = "", 0
    for found in _PARAM.finditer(template):
        pattern += re.escape(template[position : found.start()])
        catch_all, name, optional, constraint = found.groups()
        default = ".+?" if any_depth else "[^/]+"
        body = ".*" if catch_all else _CONSTRAINTS.get(constraint or "", default)
        pattern += f"(?P<{name}>{body})" + ("?" if optional or catch_all else "")
        position = found.end()
    pattern += re.escape(template[position:])
    return re.compile(pattern.replace("/(?P", "/?(?P"), re.IGNORECASE)


def match_route(template: str, prefix: str, path: str) -> dict[str, str] | None:
    """Route parameters when ``path`` matches ``prefix/template`` as the host routes it
    (case-insensitive literals, ``{name}``, ``{name:int}``, ``{name?}``, ``{*rest}``).
    """
    full = "/".join(part.strip("/") for part in (prefix, template) if part.strip("/"))
    found = _route_regex(full).fullmatch(path.strip("/"))
    if found is None:
        return None
    return {name: value for name, value in found.groupdict().items() if value is not None}


def blob_path_params(pattern: str, blob_path: str) -> dict[str, str]:
    """Binding-expression values (``{name}``) from a blob trigger ``path`` pattern, which the
    host adds to the trigger metadata.
    """
    found = _route_regex(pattern, any_depth=True).fullmatch(blob_path.strip("/"))
    return {} if found is None else {k: v for k, v in found.groupdict().items() if v is not None}
