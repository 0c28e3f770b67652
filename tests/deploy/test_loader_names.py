"""The app loader as the builders use it: an app imports in the cloud as it did here, or is
refused.
"""

from __future__ import annotations

import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from faaskit.deploy import build

HELLO = Path(__file__).resolve().parents[2] / "samples" / "hello_http" / "app.py"


def test_a_file_inside_a_package_is_built_as_a_module_of_that_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "proj" / "reviewpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "util.py").write_text("GREETING = 'hi'\n", encoding="utf-8")
    (package / "app.py").write_text(
        textwrap.dedent(
            """
            import faaskit
            from reviewpkg.util import GREETING

            @faaskit.handler(faaskit.http("GET", "/hi"))
            def hello(req, ctx):
                return {"greeting": GREETING}
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path / "proj"))  # as `python -m faaskit` adds the cwd
    for name in ("reviewpkg", "reviewpkg.util"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    build("reviewpkg/app.py", target="aws", out=tmp_path / "out", cwd=tmp_path / "proj")
    template = (tmp_path / "out" / "aws" / "template.yaml").read_text(encoding="utf-8")
    assert "Handler: reviewpkg.app.hello" in template
    with zipfile.ZipFile(tmp_path / "out" / "aws" / "package.zip") as archive:
        names = set(archive.namelist())
    assert {"reviewpkg/__init__.py", "reviewpkg/util.py", "reviewpkg/app.py"} <= names
    assert "app.py" not in names and "util.py" not in names


@pytest.mark.parametrize("module", ["json", "queue", "attrs", "faaskit_aws"])
def test_an_app_named_like_a_module_the_runtime_already_has_is_refused(
    tmp_path: Path, module: str
) -> None:
    from faaskit.exceptions import ConfigurationError

    (tmp_path / f"{module}.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=rf"'{module}'.*rename"):
        build(str(tmp_path / f"{module}.py"), target="aws", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()
