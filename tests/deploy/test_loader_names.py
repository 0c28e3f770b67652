"""The app loader: apps that would not import the same way in the cloud are refused."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from faaskit.deploy import build

HELLO = Path(__file__).resolve().parents[2] / "samples" / "hello_http" / "app.py"


def test_a_file_that_imports_its_own_package_by_name_is_not_shipped_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faaskit.exceptions import ConfigurationError

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
    with pytest.raises(ConfigurationError, match=r"reviewpkg\.app"):
        build("reviewpkg/app.py", target="aws", out=tmp_path / "out", cwd=tmp_path / "proj")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("module", ["json", "queue", "attrs", "faaskit_aws"])
def test_an_app_named_like_a_module_the_runtime_already_has_is_refused(
    tmp_path: Path, module: str
) -> None:
    from faaskit.exceptions import ConfigurationError

    (tmp_path / f"{module}.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=rf"'{module}'.*rename"):
        build(str(tmp_path / f"{module}.py"), target="aws", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()
