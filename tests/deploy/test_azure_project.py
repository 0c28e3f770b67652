"""The Azure Functions project: its files, and the bindings azure-functions (and the real Python
runtime) index from ``function_app.py`` match the handlers' declarations.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faaskit._declarations import Blob, Events, Queue, Schedule, Stream, Topic
from faaskit._routes import Http
from faaskit.deploy import load_app
from tests.deploy.cron import aws_fires, ncrontab_fires
from tests.deploy.helpers import ALL_TRIGGERS, SAMPLES, index_project

APPS = pytest.mark.parametrize("app", SAMPLES, ids=[p.parent.name for p in SAMPLES])


@APPS
def test_function_app_py_is_one_import_of_faaskit_azure_and_one_call(
    app: Path, built: Callable[[Path], Path]
) -> None:
    tree = ast.parse((built(app) / "azure" / "function_app.py").read_text(encoding="utf-8"))
    imports = [n for n in tree.body if isinstance(n, ast.Import)]
    assert next(a.name for n in imports for a in n.names) == "faaskit_azure"
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert len(calls) == 1
    assert ast.unparse(calls[0].func) == "faaskit_azure.function_app"


@APPS
def test_host_settings_and_requirements(app: Path, built: Callable[[Path], Path]) -> None:
    project = built(app) / "azure"
    host = json.loads((project / "host.json").read_text())
    assert host["version"] == "2.0"
    assert host["extensionBundle"] == {
        "id": "Microsoft.Azure.Functions.ExtensionBundle",
        "version": "[4.*, 5.0.0)",
    }
    hours, minutes, seconds = map(int, host["functionTimeout"].split(":"))
    loaded = load_app(str(app))
    longest = max(fn.timeout or 30 for fn in loaded.functions)
    assert hours * 3600 + minutes * 60 + seconds == longest
    assert host["extensions"]["http"]["routePrefix"] == ""
    values = json.loads((project / "local.settings.json").read_text())["Values"]
    assert values["FUNCTIONS_WORKER_RUNTIME"] == "python"
    assert "AzureWebJobsStorage" in values
    requirements = (project / "requirements.txt").read_text().split()
    assert "azure-functions" in requirements
    assert not [r for r in requirements if r.startswith("faaskit")]  # shipped in the folder
    assert "local.settings.json" in (project / ".funcignore").read_text().split()


def test_queue_batch_settings_follow_the_declarations(built: Callable[[Path], Path]) -> None:
    host = json.loads((built(ALL_TRIGGERS) / "azure" / "host.json").read_text())
    queues = [fn.trigger for fn in load_app(str(ALL_TRIGGERS)).functions]
    sizes = [t.batch_size for t in queues if isinstance(t, Queue) and t.batch_size]
    assert host["extensions"]["queues"]["batchSize"] == min(max(sizes), 32)
    assert host["extensions"]["queues"]["maxDequeueCount"] >= 1
    assert "serviceBus" in host["extensions"]  # the app declares a topic


@APPS
def test_every_function_is_indexed_with_bindings_matching_its_declaration(
    app: Path, built: Callable[[Path], Path]
) -> None:
    project = built(app) / "azure"
    index = index_project(project)
    assert index["faaskit"].startswith(str(project))  # the project ships its own copy
    loaded = load_app(str(app))
    assert set(index["functions"]) == {fn.name for fn in loaded.functions}
    values = json.loads((project / "local.settings.json").read_text())["Values"]
    for fn in loaded.functions:
        bindings = index["functions"][fn.name]
        trigger = next(b for b in bindings if b["type"].endswith("Trigger"))
        connection = trigger.get("connection")
        if connection:
            assert connection in values, (fn.name, connection)
        _check_trigger(fn.trigger, trigger, bindings)


def _check_trigger(declared: Any, binding: dict[str, Any], bindings: list[Any]) -> None:
    if isinstance(declared, Http):
        assert binding["type"] == "httpTrigger"
        route = declared.route.strip("/").replace("+}", "}")
        assert binding["route"].replace("{*", "{") == (route or binding["route"])
        if declared.methods != ("ANY",):
            assert sorted(binding["methods"]) == sorted(declared.methods)
        public = declared.auth in (None, "none")
        assert (binding["authLevel"] == "ANONYMOUS") == public
        assert any(b["type"] == "http" and b["direction"] == "OUT" for b in bindings)
    elif isinstance(declared, Blob) and declared.events == ("created",):
        assert binding["type"] == "blobTrigger"
        prefix, suffix = declared.prefix or "", declared.suffix or ""
        assert binding["path"] == f"{declared.bucket}/{prefix}{{name}}{suffix}"
    elif isinstance(declared, (Blob, Events)):
        assert binding["type"] == "eventGridTrigger"
    elif isinstance(declared, Queue):
        assert binding["type"] == "queueTrigger"
        assert binding["queueName"] == declared.name
    elif isinstance(declared, Topic):
        assert binding["type"] == "serviceBusTrigger"
        assert binding["topicName"] == declared.name
    elif isinstance(declared, Schedule):
        assert binding["type"] == "timerTrigger"
        assert len(binding["schedule"].split()) == 6
        if declared.expression.startswith("cron("):
            import datetime as dt

            start = dt.datetime(2027, 5, 1)
            for step in range(0, 31 * 24 * 60, 10):
                t = start + dt.timedelta(minutes=step)
                assert ncrontab_fires(binding["schedule"], t) == aws_fires(declared.expression, t)
    elif isinstance(declared, Stream):
        if "/" in declared.name:
            database, container = declared.name.split("/")
            assert binding["type"] == "cosmosDBTrigger"
            assert (binding["databaseName"], binding["containerName"]) == (database, container)
        else:
            assert binding["type"] == "eventHubTrigger"
            assert binding["eventHubName"] == declared.name
    else:  # pragma: no cover - every kind is handled above
        raise AssertionError(f"unexpected trigger {declared!r}")


@pytest.mark.runtime
@APPS
def test_the_real_azure_runtime_indexes_the_project(
    app: Path, built: Callable[[Path], Path]
) -> None:
    from faaskit.testing.azure_host import AzureHost, runtime_python

    if runtime_python() is None:
        pytest.skip("no Python 3.13 with azure-functions-runtime")
    loaded = load_app(str(app))
    project = built(app) / "azure"
    values = json.loads((project / "local.settings.json").read_text())["Values"]
    with AzureHost(project) as host:
        assert {f.name for f in host.functions()} == {fn.name for fn in loaded.functions}
        for fn in loaded.functions:
            info = host.function(fn.name)
            trigger = dict(info.trigger.raw)
            _check_trigger(fn.trigger, trigger, [dict(b.raw) for b in info.bindings])
            if trigger.get("connection"):
                assert trigger["connection"] in values


@pytest.mark.runtime
def test_an_http_function_answers_through_the_real_runtime(built: Callable[[Path], Path]) -> None:
    from faaskit.testing.azure_host import AzureHost, runtime_python

    if runtime_python() is None:
        pytest.skip("no Python 3.13 with azure-functions-runtime")
    hello = next(p for p in SAMPLES if p.parent.name == "hello_http")
    with AzureHost(built(hello) / "azure") as host:
        reply = host.request("GET", "/hello/Ada?lang=fr")
        assert reply.http is not None
        assert reply.http.status == 200
        body = reply.http.json()
        assert body["message"] == "Bonjour, Ada!"
        assert body["platform"] == "azure"
    with AzureHost(built(ALL_TRIGGERS) / "azure") as host:
        reply = host.request("GET", "/public/7")
        assert reply.http is not None
        assert (reply.http.status, reply.http.json()) == (200, {"id": "7", "auth": "none"})
