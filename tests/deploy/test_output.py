"""Writing the output folder (``faaskit.deploy._output.staged``): all at once, and a rebuild
leaves every file whose content did not change as it was (same file, same modification time),
so tools that look at times or inodes (``func`` publishing, rsync, make) see only what changed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from faaskit.deploy import build
from faaskit.deploy._output import staged
from tests.deploy.artifacts import files
from tests.deploy.helpers import ROOT

HELLO = (ROOT / "samples" / "hello_http" / "app.py").read_text(encoding="utf-8")


def _identity(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        name: ((folder / name).stat().st_ino, (folder / name).stat().st_mtime_ns)
        for name in files(folder)
    }


def test_a_rebuild_keeps_the_files_that_did_not_change(tmp_path: Path) -> None:
    app = tmp_path / "svc"
    app.mkdir()
    (app / "app.py").write_text(HELLO, encoding="utf-8")
    (app / "helpers.py").write_text("X = 1\n", encoding="utf-8")
    out = tmp_path / "out"
    build(str(app / "app.py"), out=out)
    before = {target: _identity(out / target) for target in ("aws", "azure")}
    build(str(app / "app.py"), out=out)
    assert {target: _identity(out / target) for target in ("aws", "azure")} == before
    (app / "helpers.py").write_text("X = 2\n", encoding="utf-8")
    build(str(app / "app.py"), out=out)
    after = _identity(out / "azure")
    changed = {name for name in after if after[name] != before["azure"].get(name)}
    assert "helpers.py" in changed and "app.py" not in changed
    assert changed <= {"helpers.py", *(n for n in after if n.startswith("__pycache__/helpers."))}
    assert (out / "azure" / "helpers.py").read_text(encoding="utf-8") == "X = 2\n"
    assert _identity(out / "aws")["package.zip"] != before["aws"]["package.zip"]


def test_a_kept_file_with_another_mode_is_written_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for mode in (0o644, 0o755):
        with staged(out, ["part"]) as stage:
            (stage / "part").mkdir()
            (stage / "part" / "tool").write_text("echo hi\n", encoding="utf-8")
            (stage / "part" / "tool").chmod(mode)
    assert os.stat(out / "part" / "tool").st_mode & 0o777 == 0o755


def test_a_failed_build_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged(out, ["part"]) as stage:
        (stage / "part").mkdir()
        (stage / "part" / "a.txt").write_text("one", encoding="utf-8")
    before = _identity(out / "part")
    with pytest.raises(RuntimeError), staged(out, ["part"]) as stage:
        (stage / "part").mkdir()
        (stage / "part" / "a.txt").write_text("two", encoding="utf-8")
        raise RuntimeError("the build failed")
    assert _identity(out / "part") == before
    assert (out / "part" / "a.txt").read_text(encoding="utf-8") == "one"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
