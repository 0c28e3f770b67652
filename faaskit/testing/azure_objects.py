"""Turn an Azure invocation spec (see :mod:`faaskit.testing.azure_events`) into the
``azure.functions`` object the Python worker would hand the function, through the library's
own binding converters. ``azure.functions`` is imported only when a spec is built.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from faaskit.exceptions import InvalidEventError

__all__ = ["build", "datum"]


def _fail(message: str, field: str) -> InvalidEventError:
    return InvalidEventError(f"azure event spec: {message}", source="azure-spec", field=field)


def datum(spec: Any, field: str = "data") -> Any:
    """One typed value (``{"type": ..., "value" | "value_b64" | "inline": ...}``) as a Datum."""
    from azure.functions import meta

    if not isinstance(spec, Mapping) or "type" not in spec:
        raise _fail(f"{field!r} must be an object with a 'type'", field)
    kind = str(spec["type"])
    if "value_b64" in spec:
        try:
            return meta.Datum(base64.b64decode(spec["value_b64"], validate=True), kind)
        except ValueError as exc:
            raise _fail(f"{field}.value_b64 is not valid base64", f"{field}.value_b64") from exc
    if "inline" in spec:
        return meta.Datum(json.dumps(spec["inline"]), kind)
    if "value" not in spec:
        raise _fail(f"{field!r} needs 'value', 'value_b64' or 'inline'", field)
    value = spec["value"]
    if kind in ("collection_string", "collection_bytes"):
        return meta.Datum(_collection(kind, value, field), kind)
    if kind == "http":
        return meta.Datum(_http(value, field), "http")
    if kind == "json" and not isinstance(value, str):
        value = json.dumps(value)
    if kind == "bytes" and isinstance(value, str):
        value = value.encode("utf-8")
    return meta.Datum(value, kind)


def _collection(kind: str, value: Any, field: str) -> Any:
    """The worker's ``CollectionString``/``CollectionBytes`` (items under ``.string``/``.bytes``;
    bytes items given as base64).
    """
    import types

    if not isinstance(value, list):
        raise _fail(f"a {kind} value must be a list", f"{field}.value")
    if kind == "collection_bytes":
        try:
            return types.SimpleNamespace(bytes=[base64.b64decode(v) for v in value])
        except (TypeError, ValueError) as exc:
            raise _fail("collection_bytes items must be base64", f"{field}.value") from exc
    return types.SimpleNamespace(string=[str(v) for v in value])


def _http(value: Any, field: str) -> dict[str, Any]:
    from azure.functions import meta

    if not isinstance(value, Mapping) or "method" not in value or "url" not in value:
        raise _fail("an http value needs 'method' and 'url'", f"{field}.value")
    out: dict[str, Any] = {
        "method": meta.Datum(str(value["method"]), "string"),
        "url": meta.Datum(str(value["url"]), "string"),
    }
    for name in ("headers", "query", "params"):
        items = value.get(name) or {}
        if not isinstance(items, Mapping):
            raise _fail(f"http {name!r} must be an object", f"{field}.value.{name}")
        out[name] = {str(k): meta.Datum(str(v), "string") for k, v in items.items()}
    body = value.get("body")
    out["body"] = (
        datum(body, f"{field}.value.body") if body is not None else meta.Datum(b"", "bytes")
    )
    return out


def build(spec: Any) -> Any:
    """The ``azure.functions`` object (HttpRequest, InputStream, QueueMessage, ...) for ``spec``."""
    import azure.functions as func

    if not isinstance(spec, Mapping) or "binding" not in spec or "data" not in spec:
        raise _fail("expected an object with 'binding', 'data' and 'trigger_metadata'", "binding")
    binding = str(spec["binding"])
    converter = func.get_binding_registry().get(binding)  # type: ignore[no-untyped-call]
    if converter is None:
        raise _fail(f"unknown binding type {binding!r}", "binding")
    metadata = spec.get("trigger_metadata") or {}
    if not isinstance(metadata, Mapping):
        raise _fail("'trigger_metadata' must be an object", "trigger_metadata")
    typed = {str(k): datum(v, f"trigger_metadata.{k}") for k, v in metadata.items()}
    data = datum(spec["data"])
    try:
        return converter.decode(data, trigger_metadata=typed)
    except (ValueError, KeyError, TypeError, NotImplementedError) as exc:
        raise _fail(f"the {binding} converter refused it: {exc}", "data") from exc
