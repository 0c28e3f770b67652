"""EMF documents: grouping by dimensions, the spec's limits (split, never drop), validity."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from faaskit._emf import MAX_METRICS, MAX_VALUES, documents
from tests.core.emf import validate_emf


def _entry(name: str, value: float, **dims: str) -> tuple[str, float, str, int, tuple[Any, ...]]:
    return (name, value, "Count", 60, tuple(sorted(dims.items())))


def _values(docs: list[dict[str, Any]], name: str) -> list[float]:
    found: list[float] = []
    for doc in docs:
        if name in doc:
            value = doc[name]
            found.extend(value if isinstance(value, list) else [value])
    return found


def test_one_metric_one_document_with_namespace_dimensions_and_properties() -> None:
    (doc,) = documents(
        "Shop", [_entry("Orders", 2, region="eu")], timestamp_ms=1000, properties={"rid": "r"}
    )
    validate_emf(doc)
    directive = doc["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "Shop"
    assert directive["Dimensions"] == [["region"]]
    assert directive["Metrics"] == [{"Name": "Orders", "Unit": "Count"}]
    assert (doc["Orders"], doc["region"], doc["rid"], doc["_aws"]["Timestamp"]) == (
        2,
        "eu",
        "r",
        1000,
    )


def test_different_dimension_values_go_to_different_documents() -> None:
    docs = documents(
        "Shop",
        [_entry("Orders", 1, region="eu"), _entry("Orders", 1, region="us"), _entry("Hits", 3)],
        timestamp_ms=0,
    )
    for doc in docs:
        validate_emf(doc)
    assert sorted(doc.get("region", "-") for doc in docs) == ["-", "eu", "us"]


def test_repeated_values_of_a_metric_become_an_array() -> None:
    (doc,) = documents("N", [_entry("Latency", v) for v in (1, 2, 3)], timestamp_ms=0)
    validate_emf(doc)
    assert doc["Latency"] == [1, 2, 3]


def test_more_than_100_metrics_are_split_and_none_is_dropped() -> None:
    entries = [_entry(f"m{i}", i) for i in range(MAX_METRICS * 2 + 5)]
    docs = documents("N", entries, timestamp_ms=0)
    assert len(docs) == 3
    for doc in docs:
        validate_emf(doc)
    assert sorted(_values(docs, f"m{i}")[0] for i in range(205)) == list(range(205))


def test_more_than_100_values_of_one_metric_are_split_in_order() -> None:
    entries = [_entry("Latency", float(i)) for i in range(MAX_VALUES * 2 + 50)]
    docs = documents("N", entries, timestamp_ms=0)
    assert len(docs) == 3
    for doc in docs:
        validate_emf(doc)
    assert _values(docs, "Latency") == [float(i) for i in range(250)]


def test_high_resolution_sets_storage_resolution() -> None:
    (doc,) = documents("N", [("Fast", 1, "Milliseconds", 1, ())], timestamp_ms=0)
    validate_emf(doc)
    assert doc["_aws"]["CloudWatchMetrics"][0]["Metrics"] == [
        {"Name": "Fast", "Unit": "Milliseconds", "StorageResolution": 1}
    ]


def test_the_schema_rejects_what_the_spec_forbids() -> None:
    (doc,) = documents("N", [_entry(f"m{i}", 1) for i in range(3)], timestamp_ms=0)
    doc["_aws"]["CloudWatchMetrics"][0]["Metrics"] *= 40  # 120 definitions
    with pytest.raises(jsonschema.ValidationError):
        validate_emf(doc)
    (doc,) = documents("N", [_entry("m", 1)], timestamp_ms=0)
    doc["m"] = list(range(101))
    with pytest.raises(jsonschema.ValidationError):
        validate_emf(doc)


_NAMES = st.sampled_from(["Orders", "Items", "request_id", "service", "Latency"])
_DIMS = st.sampled_from([(("service", "orders"),), (("service", "billing"),), ()])
_ENTRY = st.tuples(
    _NAMES,
    st.integers(0, 5),
    st.sampled_from(["Count", "Milliseconds"]),
    st.sampled_from([1, 60]),
    _DIMS,
)


@given(st.lists(_ENTRY, max_size=8))
def test_the_one_document_shortcut_equals_the_general_grouping(entries) -> None:
    from unittest import mock

    import faaskit._emf as emf

    props = {"request_id": "r-1", "function_name": "f"}
    fast = emf.documents("Ns", entries, timestamp_ms=5, properties=props)
    with mock.patch.object(emf, "_single", lambda *args: None):
        general = emf.documents("Ns", entries, timestamp_ms=5, properties=props)
    assert fast == general
    assert [list(doc) for doc in fast] == [list(doc) for doc in general]
