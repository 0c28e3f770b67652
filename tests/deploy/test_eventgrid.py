"""Event Grid subscriptions in ``azuredeploy.json`` for the handlers Event Grid drives."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import faaskit
from faaskit._declarations import Blob, Events
from faaskit.deploy import Settings, build, load_app
from faaskit.exceptions import ConfigurationError
from faaskit_azure.deploy._eventgrid import translate_pattern
from tests.deploy.arm import Evaluator
from tests.deploy.helpers import ALL_TRIGGERS, SAMPLES, index_project

GRID_TYPES = ("Microsoft.EventGrid/eventSubscriptions",
              "Microsoft.EventGrid/systemTopics/eventSubscriptions")  # fmt: skip


def _template(out: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((out / "azure" / "azuredeploy.json").read_text())
    return loaded


def _subscriptions(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in template["resources"] if r["type"] in GRID_TYPES]


def _target(res: dict[str, Any]) -> str:
    """The function a subscription delivers to (its resource id or webhook's functionName)."""
    props = res["properties"]["destination"]["properties"]
    if "resourceId" in props:
        return re.search(r"'([^']+)'\)\]$", props["resourceId"]).group(1)  # type: ignore[union-attr]
    found = re.search(r"functionName=Host\.Functions\.([^&]+)&", props["endpointUrl"])
    assert found is not None, props
    return found.group(1)


def test_every_event_grid_function_gets_one_subscription_in_azuredeploy(
    built: Callable[[Path], Path],
) -> None:
    for app in SAMPLES:
        out = built(app)
        assert not (out / "azure" / "eventgrid.json").exists()
        index = index_project(out / "azure")
        grid_functions = {
            name
            for name, bindings in index["functions"].items()
            if any(b["type"] == "eventGridTrigger" for b in bindings)
        }
        template = _template(out)
        found = _subscriptions(template)
        assert {_target(r) for r in found} == grid_functions, app
        assert len(found) == len(grid_functions)
        for resource in found:
            assert resource["condition"] == "[parameters('subscribeEvents')]"
            name = str(Evaluator(template).value(resource["name"])).rsplit("/", 1)[-1]
            assert re.fullmatch(r"[A-Za-z0-9-]{3,64}", name), name
            assert resource["properties"]["destination"]["endpointType"] == "AzureFunction"
        if found:
            assert template["parameters"]["subscribeEvents"] == {
                **template["parameters"]["subscribeEvents"], "type": "bool", "defaultValue": False,
            }  # fmt: skip
        else:
            assert "subscribeEvents" not in template["parameters"]


def test_filters_follow_the_declarations(built: Callable[[Path], Path]) -> None:
    template = _template(built(ALL_TRIGGERS))
    by_function = {_target(r): r for r in _subscriptions(template)}
    for fn in load_app(str(ALL_TRIGGERS)).functions:
        trigger = fn.trigger
        if isinstance(trigger, Events):
            res = by_function[fn.name]
            assert res["scope"] == "[parameters('eventSourceId')]"
            filters = res["properties"]["filter"]
            assert filters["includedEventTypes"] == trigger.pattern["detail-type"]
            (source,) = filters["advancedFilters"]
            assert source == {"operatorType": "StringIn", "key": "source",
                              "values": trigger.pattern["source"]}  # fmt: skip
        elif isinstance(trigger, Blob) and "deleted" in trigger.events:
            res = by_function[fn.name]
            assert res["type"] == "Microsoft.EventGrid/systemTopics/eventSubscriptions"
            filters = res["properties"]["filter"]
            assert filters["includedEventTypes"] == ["Microsoft.Storage.BlobDeleted"]
            assert filters["subjectBeginsWith"].endswith(
                f"/containers/{trigger.bucket}/blobs/{trigger.prefix or ''}"
            )
    (topic,) = [r for r in template["resources"] if r["type"] == "Microsoft.EventGrid/systemTopics"]
    assert topic["properties"]["source"] == (
        "[resourceId('Microsoft.Storage/storageAccounts', variables('storageAccountName'))]"
    )
    assert "condition" not in topic  # the topic needs no code: created on the first pass
    assert "eventSourceId" in template["parameters"]
    assert "defaultValue" not in template["parameters"]["eventSourceId"]


BLOB_APP = """
import faaskit

@faaskit.handler(faaskit.blob("uploads", prefix="in/", suffix=".csv"))
def ingest(event, ctx):
    return None

@faaskit.handler(faaskit.http("GET", "/"))
def home(req, ctx):
    return {}
"""


@pytest.mark.parametrize("mode", ["blob-eventgrid", "eventgrid", "blob"])
def test_blob_trigger_modes_get_their_endpoint(tmp_path: Path, mode: str) -> None:
    """``blob-eventgrid`` keeps the blobTrigger: Event Grid reaches it through the blobs
    extension's webhook with the ``blobs_extension`` system key; ``eventgrid`` is an
    eventGridTrigger, reached by resource id; the polling blob trigger needs no subscription.
    """
    (tmp_path / "app.py").write_text(BLOB_APP, encoding="utf-8")
    out = tmp_path / "out"
    settings = Settings(azure={"blob_trigger": mode})
    build(str(tmp_path / "app.py"), target="azure", out=out, settings=settings)
    template = _template(out)
    ev = Evaluator(template)
    ev.walk(template["resources"])
    assert ev.problems == [] and ev.cycle() is None
    found = _subscriptions(template)
    topics = [r for r in template["resources"] if r["type"] == "Microsoft.EventGrid/systemTopics"]
    if mode == "blob":
        assert found == [] and topics == []
        return
    (res,) = found
    assert len(topics) == 1 and _target(res) == "ingest"
    assert res["properties"]["filter"]["subjectEndsWith"] == ".csv"
    destination = res["properties"]["destination"]
    if mode == "eventgrid":
        assert destination["endpointType"] == "AzureFunction"
        return
    assert destination["endpointType"] == "WebHook"
    url = destination["properties"]["endpointUrl"]
    assert url.startswith("[if(parameters('subscribeEvents'), format('https://{0}/runtime/webhooks/"
                          "blobs?functionName=Host.Functions.ingest&code={1}'")  # fmt: skip
    assert ("listKeys(resourceId('Microsoft.Web/sites/host', variables('functionAppName'), "
            "'default'), '2023-12-01').systemKeys.blobs_extension") in url  # fmt: skip
    assert res["properties"]["eventDeliverySchema"] == "EventGridSchema"
    bindings = index_project(out / "azure")["functions"]["ingest"]
    assert [b.get("source") for b in bindings if b["type"] == "blobTrigger"] == ["EventGrid"]


def test_the_evaluator_refuses_an_unguarded_key_or_function(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(BLOB_APP, encoding="utf-8")
    out = tmp_path / "out"
    build(str(tmp_path / "app.py"), target="azure", out=out,
          settings=Settings(azure={"blob_trigger": "blob-eventgrid"}))  # fmt: skip
    template = _template(out)
    (res,) = _subscriptions(template)
    props = res["properties"]["destination"]["properties"]
    props["endpointUrl"] = props["endpointUrl"].replace("[if(parameters('subscribeEvents'), ", "[")
    props["endpointUrl"] = props["endpointUrl"].replace(", '')]", "]")
    ev = Evaluator(template)
    ev.walk(template["resources"])
    assert any("outside if(subscribeEvents" in p for p in ev.problems), ev.problems
    del res["condition"]
    props["endpointUrl"] = "x"
    props["resourceId"] = (
        "[resourceId('Microsoft.Web/sites/functions', variables('functionAppName'), 'ingest')]"
    )
    ev = Evaluator(template)
    ev.walk(template["resources"])
    assert any("outside a subscribeEvents condition" in p for p in ev.problems), ev.problems


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
