"""Deployment artifacts hold runtime code only: every module of a freshly built ``package.zip``
and Azure project imports in a clean interpreter whose path holds only the artifact (and, for
what the platform or the requirements install, a site folder with exactly those).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from faaskit.deploy._boundary import is_tooling
from tests.deploy.artifacts import files, import_all, module_names, site_folder, unzip
from tests.deploy.helpers import ALL_TRIGGERS


def test_every_module_of_the_lambda_package_imports_alone(
    built: Callable[[Path], Path], tmp_path: Path
) -> None:
    code = unzip(built(ALL_TRIGGERS) / "aws" / "package.zip", tmp_path / "code")
    names = module_names(code)
    assert {"app", "faaskit", "faaskit_aws.adapter", "faaskit.storage", "attr"} <= set(names)
    assert [name for name in names if is_tooling(name)] == []
    # the Lambda Python runtime provides boto3 (and what it requires), nothing else
    assert import_all([code, site_folder(tmp_path / "runtime", ["boto3"])], names) == []


def test_every_module_of_the_azure_project_imports_with_its_requirements(
    built: Callable[[Path], Path], tmp_path: Path
) -> None:
    project = built(ALL_TRIGGERS) / "azure"
    names = module_names(project)
    assert {"function_app", "app", "faaskit", "faaskit_azure.app"} <= set(names)
    assert [name for name in names if is_tooling(name)] == []
    lines = (project / "requirements.txt").read_text(encoding="utf-8").splitlines()
    wanted = [line.split(">")[0].split("=")[0].strip() for line in lines if line.strip()]
    assert "azure-functions" in wanted
    assert import_all([project, site_folder(tmp_path / "site", wanted)], names) == []


def test_no_artifact_holds_a_tooling_module(built: Callable[[Path], Path], tmp_path: Path) -> None:
    code = unzip(built(ALL_TRIGGERS) / "aws" / "package.zip", tmp_path / "code")
    for folder in (code, built(ALL_TRIGGERS) / "azure"):
        shipped = files(folder)
        assert [f for f in shipped if f.startswith(("faaskit/cli/", "faaskit/devserver/",
                "faaskit/testing/", "faaskit/deploy/", "faaskit_aws/deploy/",
                "faaskit_azure/deploy/"))] == []  # fmt: skip
        assert "faaskit/__main__.py" not in shipped
        assert "faaskit/storage/__init__.py" in shipped


def test_the_clean_import_finds_a_module_that_needs_what_the_artifact_lacks(
    tmp_path: Path,
) -> None:
    (tmp_path / "needs_tooling.py").write_text("import faaskit.testing\n", encoding="utf-8")
    (tmp_path / "fine.py").write_text("import json\n", encoding="utf-8")
    failed = import_all([tmp_path], module_names(tmp_path))
    assert len(failed) == 1 and failed[0].startswith("needs_tooling: ModuleNotFoundError")
