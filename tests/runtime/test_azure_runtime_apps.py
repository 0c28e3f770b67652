"""Apps that do not index, and apps that bring a ``tests`` folder of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from faaskit.testing.azure_host import AzureHost, AzureHostError
from tests.runtime.helpers import AZURE_RUNTIME

pytestmark = AZURE_RUNTIME

HELLO = """
import azure.functions as func

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="hello")
def hello(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse("hello")
"""


def write_app(folder: Path, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "function_app.py").write_text(source, encoding="utf-8")
    return folder


def test_an_app_that_does_not_import_names_the_file_and_the_error(tmp_path: Path) -> None:
    app = write_app(tmp_path / "broken", "import not_a_module_anywhere\n")
    with pytest.raises(AzureHostError, match="could not index") as caught:
        AzureHost(app).start()
    assert str(app / "function_app.py") in str(caught.value)
    assert "not_a_module_anywhere" in str(caught.value)


def test_an_app_without_a_function_app_instance_is_refused(tmp_path: Path) -> None:
    app = write_app(tmp_path / "empty", "VALUE = 1\n")
    with pytest.raises(AzureHostError, match="top level function app"):
        AzureHost(app).start()


def test_a_folder_without_function_app_py_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AzureHostError, match=r"no function_app\.py"):
        AzureHost(tmp_path).start()


def test_an_app_with_its_own_tests_package_does_not_shadow_the_runtime(tmp_path: Path) -> None:
    app = write_app(tmp_path / "with_tests", HELLO)
    (app / "tests").mkdir()
    (app / "tests" / "__init__.py").write_text("", encoding="utf-8")
    (app / "tests" / "protos.py").write_text("raise ImportError('shadowed')\n", encoding="utf-8")
    with AzureHost(app) as host:
        response = host.request("GET", "/api/hello").http
    assert (response.status, response.text) == (200, "hello")


def test_local_settings_and_host_json_are_honoured(tmp_path: Path) -> None:
    source = """
import os

import azure.functions as func

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="setting")
def setting(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(os.environ["GREETING"])
"""
    app = write_app(tmp_path / "settings", source)
    (app / "local.settings.json").write_text(
        '{"IsEncrypted": false, "Values": {"GREETING": "hi"}}', encoding="utf-8"
    )
    (app / "host.json").write_text(
        '{"version": "2.0", "extensions": {"http": {"routePrefix": "v1"}}}', encoding="utf-8"
    )
    with AzureHost(app) as host:
        assert host.request("GET", "/v1/setting").http.text == "hi"
        with pytest.raises(AzureHostError, match="no HTTP function matches"):
            host.request("GET", "/api/setting")
