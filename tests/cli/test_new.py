"""``faaskit new``: every template gives a project whose own tests pass and whose build passes
the deploy checks; bad names and occupied folders are refused without writing anything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from faaskit.cli.new import TEMPLATES, create, template_root
from faaskit.exceptions import ConfigurationError, ProjectExistsError
from tests.cli.helpers import env, faaskit
from tests.deploy.helpers import index_project, lint_errors, load_yaml, sam_transform

NAMES = [t.name for t in TEMPLATES]
EXPECTED = {"app.py", "faaskit.toml", "requirements.txt", "README.md", ".gitignore"}


def test_list_names_every_template_with_its_summary(tmp_path: Path) -> None:
    done = faaskit("new", "--list", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == NAMES
    assert all(len(line.split()) > 2 for line in lines)
    assert list(tmp_path.iterdir()) == []


def test_every_template_is_in_the_source_tree_with_its_files() -> None:
    for template in TEMPLATES:
        folder = template_root() / template.folder
        files = {p.name for p in folder.iterdir()}
        assert files >= EXPECTED, template.name
        assert list((folder / "tests").glob("test_*.py")), template.name
        assert template.placeholder in (folder / "faaskit.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("template", NAMES)
def test_new_project_tests_pass_and_it_builds_for_both_clouds(
    template: str, tmp_path: Path
) -> None:
    done = faaskit("new", "shop", "--template", template, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    project = tmp_path / "shop"
    assert {p.name for p in project.iterdir()} >= EXPECTED | {"tests"}
    assert 'name = "shop"' in (project / "faaskit.toml").read_text(encoding="utf-8")
    assert (project / "README.md").read_text(encoding="utf-8").startswith("# shop\n")

    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout

    built = faaskit("build", "app.py", "--target", "all", "--out", "build", cwd=project)
    assert built.returncode == 0, built.stderr
    template_yaml = project / "build" / "aws" / "template.yaml"
    assert lint_errors(template_yaml) == []
    plain = sam_transform(load_yaml(template_yaml))
    assert not any(r["Type"].startswith("AWS::Serverless::") for r in plain["Resources"].values())
    indexed = index_project(project / "build" / "azure")
    assert indexed["functions"]


def test_project_files_never_ship_in_the_lambda_package(tmp_path: Path) -> None:
    import zipfile

    create("shop", "minimal", parent=tmp_path)
    built = faaskit("build", "app.py", "--target", "aws", "--out", "build", cwd=tmp_path / "shop")
    assert built.returncode == 0, built.stderr
    names = zipfile.ZipFile(tmp_path / "shop" / "build" / "aws" / "package.zip").namelist()
    assert "app.py" in names
    assert not [n for n in names if n.startswith(("tests/", "faaskit/cli/", "conftest.py"))]


@pytest.mark.parametrize(
    "name", ["1shop", "shop_", "-shop", "sh op", "a", "shop-", "my--shop", "../shop", "x" * 41]
)
def test_invalid_names_are_refused(name: str, tmp_path: Path) -> None:
    done = faaskit("new", "--", name, cwd=tmp_path)
    assert done.returncode == 1
    assert f"invalid project name {name!r}" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_template_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"unknown template 'crud'.*http-api"):
        create("shop", "crud", parent=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_non_empty_folder_is_refused_untouched(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "notes.txt").write_text("mine")
    done = faaskit("new", "shop", "--template", "http-api", cwd=tmp_path)
    assert done.returncode == 1
    assert "already exists and is not empty" in done.stderr
    assert [p.name for p in (tmp_path / "shop").iterdir()] == ["notes.txt"]
    with pytest.raises(ProjectExistsError):
        create("shop", parent=tmp_path)


def test_an_existing_empty_folder_is_filled(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    target = create("shop", "queue-worker", parent=tmp_path)
    assert (target / "app.py").is_file()


def test_a_name_is_required_unless_listing(tmp_path: Path) -> None:
    done = faaskit("new", cwd=tmp_path)
    assert done.returncode == 1
    assert "give the project NAME" in done.stderr


def test_templates_ship_inside_the_wheel(tmp_path: Path) -> None:
    import zipfile

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w",
         str(tmp_path), str(root)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    [wheel] = tmp_path.glob("faaskit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in TEMPLATES:
        base = f"faaskit/cli/templates/{template.folder}"
        for file in (*EXPECTED, "conftest.py"):
            assert f"{base}/{file}" in names, f"{base}/{file}"
    assert not [n for n in names if "__pycache__" in n]
    assert json.dumps(sorted(names))  # a listing, not an empty archive
