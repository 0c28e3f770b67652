"""faaskit build: what the package holds (the app beside its output, included requirement files)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from faaskit.deploy import build, load_app

HELLO = Path(__file__).resolve().parents[2] / "samples" / "hello_http" / "app.py"


def _names(zip_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.namelist()


def test_building_into_the_app_folder_still_ships_the_app(tmp_path: Path) -> None:
    app = tmp_path / "my app"
    app.mkdir()
    (app / "app.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    for _ in range(2):  # the second build must not ship the first one's output
        build(str(app / "app.py"), target="aws", out=app)
        names = _names(app / "aws" / "package.zip")
        assert "app.py" in names
        assert not [n for n in names if n.startswith(("aws/", "azure/"))]


def test_requirements_may_include_other_requirement_files(tmp_path: Path) -> None:
    app = tmp_path / "svc"
    (app / "reqs").mkdir(parents=True)
    (app / "app.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    (app / "requirements.txt").write_text("-r reqs/base.txt\nrequests  # http\n")
    (app / "reqs" / "base.txt").write_text("--requirement=more.txt\ntinydep>=1\n")
    (app / "reqs" / "more.txt").write_text("otherdep\n-r ../requirements.txt\n")
    assert load_app("app.py", cwd=app).requirements == ("otherdep", "tinydep>=1", "requests")
