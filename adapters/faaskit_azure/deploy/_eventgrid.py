"""Event Grid subscriptions for the handlers Azure runs behind an ``eventGridTrigger``.

An ``eventGridTrigger`` function receives nothing until a subscription points at it, so the
deploy step writes ``eventgrid.json``, an ARM template with one subscription per such handler:

- ``faaskit.events(pattern)``: the EventBridge-style pattern becomes the subscription filter
  (``detail-type`` -> ``includedEventTypes``; ``source`` and ``detail`` fields -> advanced
  filters on the CloudEvents ``source`` and ``data``), on the topic given as a parameter;
- blob handlers for deletions (or ``blob_trigger="eventgrid"``): the storage account's
  ``Microsoft.Storage.BlobCreated``/``BlobDeleted`` events, filtered by container, prefix and
  suffix through the subject.

Event subscriptions: https://learn.microsoft.com/azure/templates/microsoft.eventgrid/eventsubscriptions
Advanced filters: https://learn.microsoft.com/azure/event-grid/event-filtering
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faaskit.adapter import Blob, Events
from faaskit.deploy._model import App, Settings
from faaskit.exceptions import ConfigurationError

__all__ = ["FILE", "subscriptions", "translate_pattern"]

FILE = "eventgrid.json"
_API = "2022-06-15"
_BLOB_TYPES = {
    "created": "Microsoft.Storage.BlobCreated",
    "deleted": "Microsoft.Storage.BlobDeleted",
}
_SOURCE_PARAMETER = {
    "type": "string",
    "metadata": {"description": "Resource id of the Event Grid topic the handlers subscribe to"},
}
_STORAGE_PARAMETER = {
    "type": "string",
    "metadata": {"description": "Resource id of the storage account holding the containers"},
}
_NUMERIC = {">": "NumberGreaterThan", ">=": "NumberGreaterThanOrEquals", "<": "NumberLessThan",
            "<=": "NumberLessThanOrEquals"}  # fmt: skip


def _matcher(key: str, values: Any) -> list[dict[str, Any]]:
    if not isinstance(values, list) or not values:
        raise ConfigurationError(f"pattern field {key!r} must be a non-empty list")
    strings = [v for v in values if isinstance(v, str)]
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    rules = [v for v in values if isinstance(v, Mapping)]
    if len(strings) + len(numbers) + len(rules) != len(values) or (strings and numbers):
        raise ConfigurationError(f"pattern field {key!r}: Event Grid cannot mix these values")
    out: list[dict[str, Any]] = []
    if strings:
        out.append({"operatorType": "StringIn", "key": key, "values": strings})
    if numbers:
        out.append({"operatorType": "NumberIn", "key": key, "values": numbers})
    for rule in rules:
        out.append(_rule(key, rule))
    return out


def _rule(key: str, rule: Mapping[str, Any]) -> dict[str, Any]:
    (name, value), *more = rule.items()
    if more:
        raise ConfigurationError(f"pattern field {key!r}: one operator per rule")
    if name == "prefix" and isinstance(value, str):
        return {"operatorType": "StringBeginsWith", "key": key, "values": [value]}
    if name == "suffix" and isinstance(value, str):
        return {"operatorType": "StringEndsWith", "key": key, "values": [value]}
    if name == "anything-but" and isinstance(value, list):
        return {"operatorType": "StringNotIn", "key": key, "values": value}
    if name == "exists" and value is True:
        return {"operatorType": "IsNotNull", "key": key}
    if name == "numeric" and isinstance(value, list) and len(value) == 2 and value[0] in _NUMERIC:
        return {"operatorType": _NUMERIC[value[0]], "key": key, "value": value[1]}
    raise ConfigurationError(f"pattern field {key!r}: Event Grid has no filter for {rule!r}")


def translate_pattern(pattern: Mapping[str, Any]) -> dict[str, Any]:
    """The Event Grid ``filter`` for an EventBridge-style ``pattern``."""
    filters: dict[str, Any] = {}
    advanced: list[dict[str, Any]] = []
    for key, value in pattern.items():
        if key == "detail-type":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigurationError("pattern 'detail-type' must be a list of strings")
            filters["includedEventTypes"] = list(value)
        elif key == "source":
            advanced += _matcher("source", value)
        elif key == "detail" and isinstance(value, Mapping):
            advanced += _detail("data", value)
        else:
            raise ConfigurationError(
                f"pattern field {key!r} has no Event Grid equivalent; use source, detail-type "
                "and detail"
            )
    if len(advanced) > 25:
        raise ConfigurationError("Event Grid allows at most 25 advanced filters per subscription")
    if advanced:
        filters["advancedFilters"] = advanced
    return filters


def _detail(prefix: str, value: Mapping[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for key, item in value.items():
        path = f"{prefix}.{key}"
        out += _detail(path, item) if isinstance(item, Mapping) else _matcher(path, item)
    return out


def _subscription(name: str, scope: str, filters: dict[str, Any], settings: Settings) -> Any:
    function = (
        f"[resourceId('Microsoft.Web/sites/functions', parameters('functionAppName'), '{name}')]"
    )
    return {
        "type": "Microsoft.EventGrid/eventSubscriptions",
        "apiVersion": _API,
        "name": "".join(c if c.isalnum() else "-" for c in name)[:64].ljust(3, "-"),
        "scope": scope,
        "properties": {
            "destination": {
                "endpointType": "AzureFunction",
                "properties": {"resourceId": function},
            },
            "eventDeliverySchema": "CloudEventSchemaV1_0",
            "filter": filters,
            "retryPolicy": {
                "maxDeliveryAttempts": settings.max_receive_count,
                "eventTimeToLiveInMinutes": 1440,
            },
        },
    }


def _grid_blob(trigger: Blob, settings: Settings) -> bool:
    mode = settings.azure.get("blob_trigger")
    if isinstance(mode, Mapping):
        mode = mode.get(trigger.bucket)
    return mode == "eventgrid" or bool(set(trigger.events) - {"created"})


def subscriptions(app: App, settings: Settings) -> dict[str, Any] | None:
    """The ARM template of the app's Event Grid subscriptions, or None when it needs none."""
    resources: list[Any] = []
    parameters: dict[str, Any] = {"functionAppName": {"type": "string"}}
    for fn in app.functions:
        trigger = fn.trigger
        try:
            if isinstance(trigger, Events):
                parameters["eventSourceId"] = _SOURCE_PARAMETER
                scope = "[parameters('eventSourceId')]"
                resources.append(_subscription(fn.name, scope, translate_pattern(trigger.pattern),
                                               settings))  # fmt: skip
            elif isinstance(trigger, Blob) and _grid_blob(trigger, settings):
                parameters["storageAccountId"] = _STORAGE_PARAMETER
                filters: dict[str, Any] = {
                    "includedEventTypes": [_BLOB_TYPES[e] for e in trigger.events],
                    "subjectBeginsWith": f"/blobServices/default/containers/{trigger.bucket}"
                    f"/blobs/{trigger.prefix or ''}",
                }
                if trigger.suffix:
                    filters["subjectEndsWith"] = trigger.suffix
                resources.append(
                    _subscription(fn.name, "[parameters('storageAccountId')]", filters, settings)
                )
        except ConfigurationError as exc:
            raise ConfigurationError(f"handler {fn.name!r}: {exc}") from None
    if not resources:
        return None
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": parameters,
        "resources": resources,
    }
