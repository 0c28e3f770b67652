"""CloudWatch Embedded Metric Format documents for one invocation's metrics.

Specification:
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html

A document holds one metric directive: one namespace, one dimension set, at most
:data:`MAX_METRICS` metric definitions (each name once) and at most :data:`MAX_VALUES` values
per metric; dimension values and metric values are members of the document's root. Metrics
with different dimension values therefore go to different documents, and whatever exceeds a
limit goes to the next document: split, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faaskit._types import JSONObject

__all__ = ["MAX_DIMENSIONS", "MAX_METRICS", "MAX_VALUES", "documents"]

MAX_METRICS = 100
MAX_DIMENSIONS = 30
MAX_VALUES = 100

# (name, value, unit, storage resolution in seconds, dimensions as sorted (name, value) pairs)
Entry = tuple[str, float, str, int, tuple[tuple[str, str], ...]]


def documents(
    namespace: str,
    entries: Iterable[Entry],
    *,
    timestamp_ms: int,
    properties: Mapping[str, object] | None = None,
) -> list[JSONObject]:
    """The EMF documents that carry ``entries``, in the order metrics were first added.

    ``properties`` (request id, trace id, ...) are added to each document's root unless a
    dimension or metric there has the same name.
    """
    if not isinstance(entries, list):
        entries = list(entries)
    if 0 < len(entries) <= MAX_METRICS:
        single = _single(namespace, entries, timestamp_ms, properties)
        if single is not None:
            return [single]
    groups: dict[tuple[tuple[str, str], ...], dict[str, tuple[str, int, list[float]]]] = {}
    crowded = False  # a metric with more than MAX_VALUES values
    for name, value, unit, resolution, dimensions in entries:
        metrics = groups.get(dimensions)
        if metrics is None:
            metrics = groups[dimensions] = {}
        known = metrics.get(name)
        if known is None:
            metrics[name] = (unit, resolution, [value])
        else:
            known[2].append(value)
            crowded = crowded or len(known[2]) > MAX_VALUES
    out: list[JSONObject] = []
    for dimensions, metrics in groups.items():
        if len(metrics) <= MAX_METRICS and (
            not crowded or all(len(values) <= MAX_VALUES for _, _, values in metrics.values())
        ):
            out.append(_whole(namespace, dimensions, metrics, timestamp_ms, properties))
            continue
        # Every metric's values in slices of MAX_VALUES; slice k of each metric before k + 1.
        slices = sorted(
            (
                (start, name, unit, resolution, values[start : start + MAX_VALUES])
                for name, (unit, resolution, values) in metrics.items()
                for start in range(0, len(values), MAX_VALUES)
            ),
            key=lambda item: item[0],
        )
        document: JSONObject | None = None
        for _, name, unit, resolution, values in slices:
            if document is None or _full(document, name):
                document = _document(namespace, dimensions, timestamp_ms, properties)
                out.append(document)
            definition: dict[str, str | int] = {"Name": name, "Unit": unit}
            if resolution != 60:
                definition["StorageResolution"] = resolution
            document["_aws"]["CloudWatchMetrics"][0]["Metrics"].append(definition)
            document[name] = values[0] if len(values) == 1 else values
    return out


def _single(
    namespace: str,
    entries: list[Entry],
    timestamp_ms: int,
    properties: Mapping[str, object] | None,
) -> JSONObject | None:
    """The one document of the usual invocation (one dimension set, each metric once, no name
    shared with the root), or None when ``entries`` need the general grouping.
    """
    dimensions = entries[0][4]
    document = _document(namespace, dimensions, timestamp_ms, properties)
    defined = document["_aws"]["CloudWatchMetrics"][0]["Metrics"]
    for name, value, unit, resolution, these in entries:
        if these != dimensions or name in document:
            return None
        defined.append(
            {"Name": name, "Unit": unit}
            if resolution == 60
            else {"Name": name, "Unit": unit, "StorageResolution": resolution}
        )
        document[name] = value
    return document


def _whole(
    namespace: str,
    dimensions: tuple[tuple[str, str], ...],
    metrics: dict[str, tuple[str, int, list[float]]],
    timestamp_ms: int,
    properties: Mapping[str, object] | None,
) -> JSONObject:
    """The one document of a dimension set within every limit (the usual case)."""
    document = _document(namespace, dimensions, timestamp_ms, properties)
    defined = document["_aws"]["CloudWatchMetrics"][0]["Metrics"]
    for name, (unit, resolution, values) in metrics.items():
        defined.append(
            {"Name": name, "Unit": unit}
            if resolution == 60
            else {"Name": name, "Unit": unit, "StorageResolution": resolution}
        )
        document[name] = values[0] if len(values) == 1 else values
    return document


def _full(document: JSONObject, name: str) -> bool:
    defined = document["_aws"]["CloudWatchMetrics"][0]["Metrics"]
    return len(defined) >= MAX_METRICS or name in document


def _document(
    namespace: str,
    dimensions: tuple[tuple[str, str], ...],
    timestamp_ms: int,
    properties: Mapping[str, object] | None,
) -> JSONObject:
    directive = {
        "Namespace": namespace,
        "Dimensions": [[name for name, _ in dimensions]],
        "Metrics": [],
    }
    document: JSONObject = {"_aws": {"Timestamp": timestamp_ms, "CloudWatchMetrics": [directive]}}
    document.update(dimensions)
    if properties:
        for key, value in properties.items():
            if key not in document:
                document[key] = value
    return document
