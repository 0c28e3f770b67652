"""The event ``faaskit invoke`` makes for a handler when none is given: the source that
delivers the declared trigger on the chosen cloud, filled from the declaration.

- ``http``: the declared method (GET for ANY) and a path filling the route's parameters;
- ``blob``: the declared bucket (container) and a key under its prefix, ending in its suffix;
- ``queue``: an SQS message from the declared queue (a Storage Queue message on Azure);
- ``topic``: an SNS notification from the declared topic (a Service Bus topic message on
  Azure: the binding ``faaskit_azure`` registers for topics);
- ``stream``: a Kinesis record of the declared stream (an Event Hubs event on Azure);
- ``events``: an EventBridge event (an Event Grid event on Azure) whose source and detail-type
  are the first ones the pattern names; ``schedule``: a tick of a rule named after the handler.

Overrides given on the command line always win.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["declared_event", "sample_path"]

_SOURCES = {
    ("aws", "http"): "apigw-v2",
    ("aws", "blob"): "s3",
    ("aws", "queue"): "sqs",
    ("aws", "topic"): "sns",
    ("aws", "stream"): "kinesis",
    ("aws", "events"): "eventbridge",
    ("aws", "schedule"): "schedule",
    ("azure", "http"): "http",
    ("azure", "blob"): "blob",
    ("azure", "queue"): "queue",
    ("azure", "topic"): "servicebus",
    ("azure", "stream"): "eventhub",
    ("azure", "events"): "eventgrid",
    ("azure", "schedule"): "timer",
}


def sample_path(route: str) -> str:
    """``/items/{item_id}`` -> ``/items/item_id``: a path the route matches."""
    return re.sub(r"\{([^}+]+)\+?\}", lambda m: m.group(1), route)


def _first(pattern: Mapping[str, Any], key: str) -> str | None:
    value = pattern.get(key)
    values = value if isinstance(value, list) else [value]
    return next((v for v in values if isinstance(v, str)), None)


def _filled(kind: str, platform: str, trigger: Any, name: str) -> dict[str, Any]:
    if kind == "http":
        method = trigger.methods[0].replace("ANY", "GET")
        return {"method": method, "path": sample_path(trigger.route)}
    if kind == "blob":
        key = f"{trigger.prefix or ''}example{trigger.suffix or '.txt'}"
        if platform == "azure":
            return {"container": trigger.bucket, "name": key}
        return {"bucket": trigger.bucket, "key": key}
    if kind in ("queue", "topic", "stream") and platform == "aws":
        return {{"queue": "queue", "topic": "topic", "stream": "stream"}[kind]: trigger.name}
    if kind == "events":
        source = _first(trigger.pattern, "source") or "com.example"
        detail_type = _first(trigger.pattern, "detail-type") or "Example"
        if platform == "azure":
            return {"event_type": detail_type, "topic": source}
        return {"source": source, "detail_type": detail_type}
    if kind == "schedule" and platform == "aws":
        return {"rule": name}
    return {}


def declared_event(
    trigger: Any, platform: str, name: str, overrides: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The source name and factory arguments for ``trigger`` on ``platform``; ``overrides``
    take precedence over every default (a given ``path`` also drops the route's sample
    parameters).
    """
    kind = type(trigger).__name__.lower()
    source = _SOURCES.get((platform, kind))
    if source is None:
        raise ValueError(f"no default event source for a {kind} trigger on {platform}")
    filled = {**_filled(kind, platform, trigger, name), **overrides}
    if kind == "http":
        params = trigger.match(str(filled["path"]).partition("?")[0])
        if platform == "azure":
            filled.setdefault("route_params", params)
        else:
            filled.setdefault("route", trigger.route)
            filled.setdefault("path_params", params)
    return f"{platform}:{source}", filled
