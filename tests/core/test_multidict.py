"""MultiDict and Headers: multi-value, ordered, read-only, lazily loaded."""

from __future__ import annotations

from typing import Any

import pytest

from faaskit import Headers, MultiDict


def test_first_value_and_all_values() -> None:
    m = MultiDict({"a": ["1", "2"], "b": "3"})
    assert m["a"] == "1"
    assert m.get("a") == "1"
    assert m.getall("a") == ["1", "2"]
    assert m.getall("b") == ["3"]
    assert m.getall("missing") == []
    assert m.get("missing") is None
    assert m.get("missing", "d") == "d"
    assert len(m) == 2
    assert list(m) == ["a", "b"]
    with pytest.raises(KeyError):
        _ = m["missing"]


def test_pairs_keep_arrival_order_and_repeats() -> None:
    m = MultiDict([("x", "1"), ("y", "2"), ("x", "3")])
    assert m.getall("x") == ["1", "3"]
    assert m.multi_items() == [("x", "1"), ("x", "3"), ("y", "2")]
    assert m.to_dict() == {"x": ["1", "3"], "y": ["2"]}


def test_names_are_case_sensitive_in_a_multidict() -> None:
    m = MultiDict({"Q": "1"})
    assert "Q" in m and "q" not in m


def test_headers_are_case_insensitive() -> None:
    h = Headers({"Content-Type": "text/plain", "X-Multi": ["a", "b"]})
    assert h["content-type"] == "text/plain"
    assert h.get("CONTENT-TYPE") == "text/plain"
    assert h.getall("x-MULTI") == ["a", "b"]
    assert "Content-type" in h
    assert 42 not in h  # type: ignore[operator]


def test_headers_merge_names_that_differ_only_in_case() -> None:
    h = Headers([("Set-Cookie", "a=1"), ("set-cookie", "b=2")])
    assert h.getall("SET-COOKIE") == ["a=1", "b=2"]
    assert len(h) == 1


def test_none_values_are_dropped_and_non_strings_become_strings() -> None:
    m = MultiDict({"a": None, "b": [None, "x"], "n": 5, "l": [1, "2"]})
    assert "a" not in m
    assert m.getall("b") == ["x"]
    assert m["n"] == "5"
    assert m.getall("l") == ["1", "2"]


def test_lazy_loader_runs_once_on_first_access() -> None:
    calls: list[Any] = []

    def load(source: dict[str, str]) -> Any:
        calls.append(source)
        return source.items()

    m = MultiDict.lazy({"k": "v"}, load)
    assert calls == []
    assert m["k"] == "v"
    assert m.get("k") == "v"
    assert calls == [{"k": "v"}]


def test_lazy_with_nothing_is_empty() -> None:
    assert len(Headers.lazy(None, lambda s: s.items())) == 0


def test_equality_and_hash() -> None:
    assert MultiDict({"a": ["1", "2"]}) == MultiDict([("a", "1"), ("a", "2")])
    assert MultiDict({"a": "1"}) != MultiDict({"a": "2"})
    assert Headers({"A": "1"}) == Headers({"a": "1"})
    assert MultiDict({"a": "1"}) != Headers({"a": "1"})
    assert MultiDict({"a": "1"}) == {"a": "1"}  # a Mapping of first values
    assert hash(MultiDict({"a": "1"})) == hash(MultiDict({"a": "1"}))


def test_read_only() -> None:
    m = MultiDict({"a": "1"})
    with pytest.raises(TypeError):
        m["a"] = "2"  # type: ignore[index]


def test_repr_shows_every_pair() -> None:
    assert repr(Headers({"A": ["1", "2"]})) == "Headers([('a', '1'), ('a', '2')])"


def test_a_deeply_nested_header_value_reads_as_short_text() -> None:
    from faaskit import Headers

    deep: list[object] = []
    for _ in range(5_000):
        deep = [deep]
    headers = Headers({"x-deep": [deep], "x-n": 5})
    assert len(headers["x-deep"]) < 200
    assert headers["x-n"] == "5"
