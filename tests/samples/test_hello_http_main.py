"""``samples/hello_http/__main__.py`` runs the ``app.py`` beside it, also in a copy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_copy_of_the_folder_runs_its_own_app(tmp_path: Path) -> None:
    copy = tmp_path / "my_api"
    shutil.copytree(ROOT / "samples" / "hello_http", copy)
    app = copy / "app.py"
    app.write_text(app.read_text(encoding="utf-8").replace("Bonjour", "Salut"), encoding="utf-8")

    done = subprocess.run(
        [sys.executable, str(copy)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Salut, world!") == 2
    assert "Bonjour" not in done.stdout
