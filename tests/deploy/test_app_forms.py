"""Apps given as a module inside a package, and Azure service options."""

from __future__ import annotations

import json
import textwrap
import zipfile
from pathlib import Path

import pytest

from faaskit.deploy import Settings, build, load_app
from faaskit.exceptions import ConfigurationError
from tests.deploy.helpers import ALL_TRIGGERS, index_project, lint_errors, load_yaml

API = """
import faaskit

@faaskit.handler(faaskit.http("GET", "/stock/{sku}"), name="stock-level")
def stock(req, ctx):
    return {"sku": req.path_params["sku"]}
"""


@pytest.fixture
def package_app(tmp_path: Path) -> Path:
    pkg = tmp_path / "shop"
    (pkg / "web").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "web" / "__init__.py").write_text("")
    (pkg / "web" / "api.py").write_text(textwrap.dedent(API))
    (tmp_path / "unrelated.txt").write_text("not shipped")
    return tmp_path


def test_a_module_in_a_package_ships_its_top_level_package(package_app: Path) -> None:
    out = package_app / "out"
    build("shop.web.api", target="all", out=out, cwd=package_app)
    template = load_yaml(out / "aws" / "template.yaml")
    (function,) = [
        r for r in template["Resources"].values() if "Handler" in r.get("Properties", {})
    ]
    assert function["Properties"]["Handler"] == "shop.web.api.stock"
    assert lint_errors(out / "aws" / "template.yaml") == []
    with zipfile.ZipFile(out / "aws" / "package.zip") as archive:
        names = archive.namelist()
    assert "shop/web/api.py" in names and "shop/__init__.py" in names
    assert "unrelated.txt" not in names
    index = index_project(out / "azure")
    assert list(index["functions"]) == ["stock-level"]


def test_a_file_name_that_cannot_be_imported_is_refused(tmp_path: Path) -> None:
    (tmp_path / "my-app.py").write_text(textwrap.dedent(API))
    with pytest.raises(ConfigurationError, match=r"my_app\.py"):
        load_app("my-app.py", cwd=tmp_path)


def test_azure_service_options_choose_the_connections(tmp_path: Path) -> None:
    settings = Settings(
        azure={"queue_service": "servicebus", "connections": {"servicebus": "BusConn"}}
    )
    build(str(ALL_TRIGGERS), target="azure", out=tmp_path / "out", settings=settings)
    project = tmp_path / "out" / "azure"
    values = json.loads((project / "local.settings.json").read_text())["Values"]
    host = json.loads((project / "host.json").read_text())
    assert "BusConn" in values and "ServiceBusConnection" not in values
    assert "queues" not in host["extensions"] and "serviceBus" in host["extensions"]
    index = index_project(project)
    queue_triggers = [
        b for bindings in index["functions"].values() for b in bindings
        if b["type"] == "serviceBusTrigger" and "queueName" in b
    ]  # fmt: skip
    assert queue_triggers and {b["connection"] for b in queue_triggers} == {"BusConn"}
