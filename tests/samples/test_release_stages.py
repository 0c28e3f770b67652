"""``samples/release_stages`` (book ch. 2 and 8): settings from the environment the stage
sets, a third-party dependency in the package, and a canary release of the prod stage.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from faaskit.deploy import build
from faaskit.testing import invoke
from faaskit.testing.sources import event, find
from faaskit.tooling.apps import load_app
from tests.deploy.helpers import functions_of, lint_errors, load_yaml

pytest.importorskip("humanize")

APP = Path(__file__).resolve().parents[2] / "samples" / "release_stages" / "app.py"


def status(platform: str, query: str) -> tuple[int, Any]:
    handler = load_app(str(APP)).handler("status")
    source = "apigw-v2" if platform == "aws" else "http"
    spec = event(find(source, platform), method="GET", path=f"/status?{query}")
    response = invoke(handler, spec, platform=platform)
    if platform == "aws":
        return response["statusCode"], json.loads(response["body"])
    return response.status_code, json.loads(response.get_body())


def test_the_handler_reads_the_stage_settings_and_uses_the_dependency(
    platform: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAGE", "prod")
    monkeypatch.setenv("GREETING", "Welcome")
    monkeypatch.setenv("SIZE_FORMAT", "binary")
    assert status(platform, "bytes=2048") == (
        200,
        {"stage": "prod", "greeting": "Welcome", "size": "2.0 KiB"},
    )
    assert status(platform, "bytes=lots")[0] == 400


def test_prod_is_a_canary_behind_an_alias_with_its_own_settings(tmp_path: Path) -> None:
    build(str(APP), target="aws", out=tmp_path / "prod", stage="prod")
    template = tmp_path / "prod" / "aws" / "template.yaml"
    assert lint_errors(template) == []
    document = load_yaml(template)
    [function] = functions_of(document).values()
    props = {**document["Globals"]["Function"], **function["Properties"]}
    assert props["AutoPublishAlias"]
    assert props["DeploymentPreference"]["Type"] == "Canary10Percent5Minutes"
    env = {
        **document["Globals"]["Function"].get("Environment", {}).get("Variables", {}),
        **function["Properties"]["Environment"]["Variables"],
    }
    assert (env["STAGE"], env["GREETING"], env["SIZE_FORMAT"]) == ("prod", "Welcome", "binary")
    assert (props["MemorySize"], props["Timeout"]) == (256, 10)
    names = zipfile.ZipFile(tmp_path / "prod" / "aws" / "package.zip").namelist()
    assert "humanize/__init__.py" in names


def test_dev_deploys_all_at_once(tmp_path: Path) -> None:
    build(str(APP), target="aws", out=tmp_path / "dev", stage="dev")
    document = load_yaml(tmp_path / "dev" / "aws" / "template.yaml")
    [function] = functions_of(document).values()
    props = {**document["Globals"]["Function"], **function["Properties"]}
    assert "DeploymentPreference" not in props
    assert function["Properties"]["Environment"]["Variables"]["STAGE"] == "dev"
