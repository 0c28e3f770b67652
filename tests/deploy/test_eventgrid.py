"""Event Grid subscriptions for the handlers Azure runs behind an eventGridTrigger."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import faaskit
from faaskit._declarations import Blob, Events
from faaskit.deploy import build, load_app
from faaskit.exceptions import ConfigurationError
from faaskit_azure.deploy._eventgrid import translate_pattern
from tests.deploy.helpers import ALL_TRIGGERS, SAMPLES, index_project


def _grid(built: Callable[[Path], Path], app: Path) -> dict[str, Any] | None:
    path = built(app) / "azure" / "eventgrid.json"
    return json.loads(path.read_text()) if path.is_file() else None


def test_every_event_grid_function_gets_one_subscription(built: Callable[[Path], Path]) -> None:
    for app in SAMPLES:
        index = index_project(built(app) / "azure")
        grid_functions = {
            name
            for name, bindings in index["functions"].items()
            if any(b["type"] == "eventGridTrigger" for b in bindings)
        }
        template = _grid(built, app)
        if not grid_functions:
            assert template is None, app
            continue
        assert template is not None, app
        targets = {
            re.search(
                r"'([^']+)'\)\]$", r["properties"]["destination"]["properties"]["resourceId"]
            ).group(1)  # type: ignore[union-attr]
            for r in template["resources"]
        }
        assert targets == grid_functions
        for resource in template["resources"]:
            assert re.fullmatch(r"[A-Za-z0-9-]{3,64}", resource["name"])
            assert resource["properties"]["destination"]["endpointType"] == "AzureFunction"


def test_filters_follow_the_declarations(built: Callable[[Path], Path]) -> None:
    template = _grid(built, ALL_TRIGGERS)
    assert template is not None
    by_function = {
        r["properties"]["destination"]["properties"]["resourceId"].rsplit("'", 2)[1]: r
        for r in template["resources"]
    }
    for fn in load_app(str(ALL_TRIGGERS)).functions:
        trigger = fn.trigger
        if isinstance(trigger, Events):
            filters = by_function[fn.name]["properties"]["filter"]
            assert filters["includedEventTypes"] == trigger.pattern["detail-type"]
            (source,) = filters["advancedFilters"]
            assert source == {"operatorType": "StringIn", "key": "source",
                              "values": trigger.pattern["source"]}  # fmt: skip
        elif isinstance(trigger, Blob) and "deleted" in trigger.events:
            filters = by_function[fn.name]["properties"]["filter"]
            assert filters["includedEventTypes"] == ["Microsoft.Storage.BlobDeleted"]
            assert filters["subjectBeginsWith"].endswith(
                f"/containers/{trigger.bucket}/blobs/{trigger.prefix or ''}"
            )


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ({"detail-type": ["A", "B"]}, {"includedEventTypes": ["A", "B"]}),
        (
            {"detail": {"status": ["paid"], "total": [{"numeric": [">", 100]}]}},
            {"advancedFilters": [
                {"operatorType": "StringIn", "key": "data.status", "values": ["paid"]},
                {"operatorType": "NumberGreaterThan", "key": "data.total", "value": 100},
            ]},
        ),
        (
            {"source": [{"prefix": "shop."}], "detail": {"a": {"b": [{"exists": True}]}}},
            {"advancedFilters": [
                {"operatorType": "StringBeginsWith", "key": "source", "values": ["shop."]},
                {"operatorType": "IsNotNull", "key": "data.a.b"},
            ]},
        ),
        (
            {"detail": {"kind": [{"anything-but": ["test"]}], "n": [1, 2]}},
            {"advancedFilters": [
                {"operatorType": "StringNotIn", "key": "data.kind", "values": ["test"]},
                {"operatorType": "NumberIn", "key": "data.n", "values": [1, 2]},
            ]},
        ),
    ],
)  # fmt: skip
def test_patterns_translate(pattern: dict[str, Any], expected: dict[str, Any]) -> None:
    assert translate_pattern(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        {"account": ["123456789012"]},
        {"detail": {"x": [{"wildcard": "a*"}]}},
        {"detail": {"x": ["a", 1]}},
        {"source": "shop"},
    ],
)
def test_patterns_event_grid_cannot_express_are_refused(pattern: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        translate_pattern(pattern)


def test_build_names_the_handler_whose_pattern_azure_cannot_filter(tmp_path: Path) -> None:
    app = tmp_path / "svc" / "app.py"
    app.parent.mkdir()
    app.write_text(
        "import faaskit\n\n"
        "@faaskit.handler(faaskit.events({'account': ['1']}))\n"
        "def by_account(event, ctx):\n    return None\n"
    )
    with pytest.raises(ConfigurationError, match=r"by_account.*'account'"):
        build(str(app), target="all", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    build(str(app), target="aws", out=tmp_path / "out")  # AWS takes any EventBridge pattern
    assert faaskit.events({"account": ["1"]}).pattern == {"account": ["1"]}
