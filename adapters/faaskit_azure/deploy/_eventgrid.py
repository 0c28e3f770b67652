"""Event Grid subscriptions in ``azuredeploy.json`` for the handlers Event Grid drives.

A subscription is validated against its endpoint when it is created, and the endpoint exists
only once the code is published, so every subscription carries the condition
``[parameters('subscribeEvents')]`` (default false): ``faaskit deploy`` deploys the template,
publishes the code, then deploys the template again with ``subscribeEvents=true``.

- ``faaskit.events(pattern)``: an ``eventGridTrigger`` function. The EventBridge-style
  pattern becomes the subscription filter (``detail-type`` -> ``includedEventTypes``;
  ``source`` and ``detail`` fields -> advanced filters on the CloudEvents ``source`` and
  ``data``), on the topic whose resource id is the ``eventSourceId`` parameter.
- blob handlers Event Grid drives (deletions, ``blob_trigger="eventgrid"`` or
  ``"blob-eventgrid"``): a system topic on the app's storage account, one subscription per
  handler filtered by event type, container, prefix and suffix through the subject.

The destination of an ``eventGridTrigger`` function is the ``AzureFunction`` endpoint type
(the function's resource id: Event Grid delivers through the platform, with no webhook
handshake and no key). A ``blobTrigger`` with ``source="EventGrid"`` is reached through the
blobs extension's webhook instead, ``https://<host>/runtime/webhooks/blobs?functionName=
Host.Functions.<function>&code=<blobs_extension system key>``, the key read with ``listKeys``
on ``Microsoft.Web/sites/host`` (only inside ``if(subscribeEvents, ...)``: ARM evaluates list
functions even for resources whose condition is false).

Event subscriptions: https://learn.microsoft.com/azure/templates/microsoft.eventgrid/eventsubscriptions
System topics: https://learn.microsoft.com/azure/templates/microsoft.eventgrid/systemtopics/eventsubscriptions
Advanced filters: https://learn.microsoft.com/azure/event-grid/event-filtering
Blob trigger on Event Grid: https://learn.microsoft.com/azure/azure-functions/functions-event-grid-blob-trigger
Conditions and list functions: https://learn.microsoft.com/azure/azure-resource-manager/templates/conditional-resource-deployment
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faaskit.adapter import Blob, Events
from faaskit.deploy._model import App, Function, Settings
from faaskit.exceptions import ConfigurationError

__all__ = [
    "SUBSCRIBE", "blob_mode", "parameters", "subscriptions", "system_topic", "translate_pattern",
]  # fmt: skip

SUBSCRIBE = "subscribeEvents"
_CONDITION = f"[parameters('{SUBSCRIBE}')]"
_API = "2022-06-15"
_HOST_API = "2023-12-01"
_SITE = "resourceId('Microsoft.Web/sites', variables('functionAppName'))"
_ACCOUNT = "resourceId('Microsoft.Storage/storageAccounts', variables('storageAccountName'))"
_TOPIC = "resourceId('Microsoft.EventGrid/systemTopics', variables('storageTopicName'))"
_BLOB_TYPES = {
    "created": "Microsoft.Storage.BlobCreated",
    "deleted": "Microsoft.Storage.BlobDeleted",
}
_SUBSCRIBE_PARAMETER = {
    "type": "bool",
    "defaultValue": False,
    "metadata": {"description": "Create the Event Grid subscriptions (once the code is "
                                "published: their endpoints must exist)"},
}  # fmt: skip
_SOURCE_PARAMETER = {
    "type": "string",
    "metadata": {"description": "Resource id of the Event Grid topic the faaskit.events handlers "
                                "subscribe to"},
}  # fmt: skip
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


def blob_mode(trigger: Blob, settings: Settings) -> str:
    """How Azure runs a blob handler: ``"blob"`` (polling ``blobTrigger``), ``"blob-eventgrid"``
    (``blobTrigger`` driven by Event Grid) or ``"eventgrid"`` (``eventGridTrigger``), as
    :func:`faaskit_azure.function_app` registers it.
    """
    mode = settings.azure.get("blob_trigger")
    if isinstance(mode, Mapping):
        mode = mode.get(trigger.bucket)
    mode = "blob" if mode is None else str(mode)
    return "eventgrid" if set(trigger.events) - {"created"} else mode


def _name(fn: Function) -> str:
    return "".join(c if c.isalnum() else "-" for c in fn.name)[:64].ljust(3, "-")


def _function_endpoint(fn: Function) -> dict[str, Any]:
    function = (
        f"[resourceId('Microsoft.Web/sites/functions', variables('functionAppName'), '{fn.name}')]"
    )
    return {"endpointType": "AzureFunction", "properties": {"resourceId": function}}


def _blobs_webhook(fn: Function) -> dict[str, Any]:
    key = (f"listKeys(resourceId('Microsoft.Web/sites/host', variables('functionAppName'), "
           f"'default'), '{_HOST_API}').systemKeys.blobs_extension")  # fmt: skip
    url = (f"format('https://{{0}}/runtime/webhooks/blobs?functionName=Host.Functions.{fn.name}"
           f"&code={{1}}', reference({_SITE}, '{_HOST_API}').defaultHostName, {key})")  # fmt: skip
    guarded = f"[if(parameters('{SUBSCRIBE}'), {url}, '')]"
    return {"endpointType": "WebHook", "properties": {"endpointUrl": guarded}}


def _properties(destination: dict[str, Any], schema: str, filters: dict[str, Any],
                settings: Settings) -> dict[str, Any]:  # fmt: skip
    return {
        "destination": destination,
        "eventDeliverySchema": schema,
        "filter": filters,
        "retryPolicy": {
            "maxDeliveryAttempts": settings.max_receive_count,
            "eventTimeToLiveInMinutes": 1440,
        },
    }


def _blob_filter(trigger: Blob) -> dict[str, Any]:
    filters: dict[str, Any] = {
        "includedEventTypes": [_BLOB_TYPES[e] for e in trigger.events],
        "subjectBeginsWith": f"/blobServices/default/containers/{trigger.bucket}"
        f"/blobs/{trigger.prefix or ''}",
    }
    if trigger.suffix:
        filters["subjectEndsWith"] = trigger.suffix
    return filters


def system_topic() -> dict[str, Any]:
    """The Event Grid system topic of the app's storage account."""
    return {
        "type": "Microsoft.EventGrid/systemTopics",
        "apiVersion": _API,
        "name": "[variables('storageTopicName')]",
        "location": "[parameters('location')]",
        "dependsOn": [f"[{_ACCOUNT}]"],
        "properties": {"source": f"[{_ACCOUNT}]",
                       "topicType": "Microsoft.Storage.StorageAccounts"},
    }  # fmt: skip


def parameters(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The template parameters ``resources`` (from :func:`subscriptions`) use."""
    found: dict[str, Any] = {SUBSCRIBE: _SUBSCRIBE_PARAMETER} if resources else {}
    if any(r.get("scope") == "[parameters('eventSourceId')]" for r in resources):
        found["eventSourceId"] = _SOURCE_PARAMETER
    return found


def subscriptions(app: App, settings: Settings) -> list[dict[str, Any]]:
    """The resources subscribing the app's Event Grid driven handlers (the system topic
    included when a blob handler needs it), each conditioned on ``subscribeEvents``.
    """
    resources: list[dict[str, Any]] = []
    topic = False
    for fn in app.functions:
        trigger = fn.trigger
        try:
            if isinstance(trigger, Events):
                props = _properties(_function_endpoint(fn), "CloudEventSchemaV1_0",
                                    translate_pattern(trigger.pattern), settings)  # fmt: skip
                resources.append({
                    "condition": _CONDITION, "type": "Microsoft.EventGrid/eventSubscriptions",
                    "apiVersion": _API, "name": _name(fn), "scope": "[parameters('eventSourceId')]",
                    "dependsOn": [f"[{_SITE}]"], "properties": props,
                })  # fmt: skip
            elif isinstance(trigger, Blob) and blob_mode(trigger, settings) != "blob":
                topic = True
                webhook = blob_mode(trigger, settings) == "blob-eventgrid"
                props = _properties(
                    _blobs_webhook(fn) if webhook else _function_endpoint(fn),
                    "EventGridSchema" if webhook else "CloudEventSchemaV1_0",
                    _blob_filter(trigger), settings,
                )  # fmt: skip
                resources.append({
                    "condition": _CONDITION,
                    "type": "Microsoft.EventGrid/systemTopics/eventSubscriptions",
                    "apiVersion": _API,
                    "name": f"[format('{{0}}/{_name(fn)}', variables('storageTopicName'))]",
                    "dependsOn": [f"[{_TOPIC}]", f"[{_SITE}]"], "properties": props,
                })  # fmt: skip
        except ConfigurationError as exc:
            raise ConfigurationError(f"handler {fn.name!r}: {exc}") from None
    return [system_topic(), *resources] if topic else resources
